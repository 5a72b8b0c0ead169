/** The CLI's help texts. */

export const MAIN_HELP = `entra-edge: Microsoft Entra ID client credentials (secret, certificate PEM/PFX) from the command line

Usage:
  entra-edge token --scope <scope> [--tenant <id>] [--json] [--show-token] [--demo]
  entra-edge cert <file> [--password-env <VAR>] [--json]
  entra-edge emulator [--port <n>] [--app <tenant:client:secret>]... [--cert <tenant:client:file>]...
  entra-edge <command> --help
  entra-edge --version

Commands:
  token     get an access token with the AZURE_* environment variables (as EnvironmentCredential
            does) and show its type, expiry and where it came from
  cert      show a certificate's thumbprints (as the Entra portal shows them), subject, validity,
            key size and chain; reads every format the library loads (PEM, PFX/PKCS#12)
  emulator  serve the local Entra emulator, to test your own app without Azure

Exit codes: 0 ok, 2 usage, 3 configuration missing or unusable, 4 Entra refused the request,
5 Entra could not be reached.
`;

export const TOKEN_HELP = `Usage: entra-edge token --scope <scope> [--tenant <id>] [--json] [--show-token] [--demo]

Gets an access token with the credentials the environment configures (the variables of
@azure/identity's EnvironmentCredential) and shows its type, expiry, scope and where it came from.
The token itself is printed only with --show-token.

Options:
  --scope <scope>   what to ask for, e.g. https://graph.microsoft.com/.default (repeatable);
                    default: $AZURE_SCOPE
  --tenant <id>     a token for another tenant (it must be in AZURE_ADDITIONALLY_ALLOWED_TENANTS)
  --json            print one JSON object (errors too, with the exit code)
  --show-token      include the access token in the output
  --demo            when no AZURE_* credential is set, start the built-in Entra emulator, register
                    a demo app and get a token from it; the scope defaults to
                    https://management.azure.com/.default (this is what \`npm start\` runs)
  -h, --help        this text

Environment:
  AZURE_TENANT_ID, AZURE_CLIENT_ID     the app registration (required)
  AZURE_CLIENT_SECRET                  a client secret (used first when set), or
  AZURE_CLIENT_CERTIFICATE_PATH        a PEM or PFX file, or
  AZURE_CLIENT_CERTIFICATE             the certificate inline: PEM text or base64 PFX
  AZURE_CLIENT_CERTIFICATE_PASSWORD    the certificate's password
  AZURE_CLIENT_SEND_CERTIFICATE_CHAIN  true/1: send the chain (x5c), for subject name/issuer auth
  AZURE_AUTHORITY_HOST                 default https://login.microsoftonline.com
  AZURE_ADDITIONALLY_ALLOWED_TENANTS   tenants --tenant may name, ;-separated, or *
  AZURE_SCOPE                          the scope when --scope is not given

Exit codes: 0 ok, 2 usage, 3 configuration missing or unusable (missing variables, certificate),
4 Entra refused the request (the AADSTS code is printed), 5 no answer (network, DNS, proxy).
`;

export const CERT_HELP = `Usage: entra-edge cert <file> [--password-env <VAR>] [--json]

Loads a certificate the way ClientCertificateCredential does and shows its subject, issuer,
validity, key size, SHA-1 and SHA-256 thumbprints (upper-case hex as the Entra portal shows them,
and base64url as sent in the x5t / x5t#S256 assertion headers) and the chain, leaf first.

Formats: PEM (certificate and PRIVATE KEY / RSA PRIVATE KEY / ENCRYPTED PRIVATE KEY, any order),
PFX/PKCS#12 (OpenSSL 3 and -legacy, Windows, Java keytool), and a text file holding a base64 PFX.

Options:
  --password-env <VAR>  read the password from the environment variable VAR (passwords are never
                        taken on the command line); without it, AZURE_CLIENT_CERTIFICATE_PASSWORD
                        is used when set
  --json                print one JSON object
  -h, --help            this text

Exit codes: 0 ok, 2 usage, 3 the file cannot be read or the certificate cannot be used.
`;

export const EMULATOR_HELP = `Usage: entra-edge emulator [--port <n>] [--app <tenant:client:secret>]... [--cert <tenant:client:file>]...

Serves the local Entra emulator (a stand-in for the v2.0 token endpoint, from entra-edge/testing)
on 127.0.0.1, prints its URL and the AZURE_* variables that point an app at it, logs each token
request, and runs until Ctrl+C (SIGINT) or SIGTERM.

Options:
  --port <n>                     the port (default 0: a free one)
  --app <tenant:client:secret>   register an app with a client secret (repeatable)
  --cert <tenant:client:file>    register an app's certificate: a PEM file with the CERTIFICATE,
                                 or the PEM/PFX the app uses (repeatable)
  --password-env <VAR>           the password of --cert files that need one (default:
                                 AZURE_CLIENT_CERTIFICATE_PASSWORD when set)
  -h, --help                     this text

Example:
  entra-edge emulator --port 4000 --app contoso:my-app:test-secret
  AZURE_AUTHORITY_HOST=http://127.0.0.1:4000 AZURE_TENANT_ID=contoso AZURE_CLIENT_ID=my-app \\
    AZURE_CLIENT_SECRET=test-secret node my-app.js
`;
