/** The CLI's help texts. */

export const MAIN_HELP = `entra-edge: Microsoft Entra ID client credentials (secret, certificate PEM/PFX) from the command line

Usage:
  entra-edge token --scope <scope> [--tenant <id>] [--json] [--show-token] [--demo]
  entra-edge cert <file> [--password-env <VAR>] [--json]
  entra-edge emulator [--port <n>] [--tls] [--app <tenant:client:secret>]... [--cert <tenant:client:file>]... [--config <file>]
  entra-edge <command> --help
  entra-edge --version

Commands:
  token     get an access token with the AZURE_* environment variables (as EnvironmentCredential
            does) and show its type, expiry and where it came from
  cert      show a certificate's thumbprints (as the Entra portal shows them), subject, validity,
            key size and chain; reads every format the library loads (PEM, PFX/PKCS#12)
  emulator  serve the local Entra emulator, to test your own app without Azure

Exit codes: 0 ok, 1 unexpected (a bug or an error of the runtime), 2 usage, 3 configuration
missing or unusable, 4 Entra refused the request, 5 no answer from Entra (network, timeout, or
a page that is not Entra's: a proxy's or gateway's).
`;

export const TOKEN_HELP = `Usage: entra-edge token --scope <scope> [--tenant <id>] [--json] [--show-token] [--demo]

Gets an access token with the credentials the environment configures (the variables of
@azure/identity's EnvironmentCredential) and shows its type, expiry, scope and where it came from.
The token itself is printed only with --show-token.

Options:
  --scope <scope>   what to ask for, e.g. https://graph.microsoft.com/.default (one scope, no
                    spaces; repeat it for several); default: $AZURE_SCOPE
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
  AZURE_SCOPE                          the scope(s) when --scope is not given, space-separated

Exit codes: 0 ok, 1 unexpected (a bug or an error of the runtime), 2 usage, 3 configuration
missing or unusable (missing variables, certificate), 4 Entra refused the request (the AADSTS code is printed), 5 no answer from Entra (network, DNS, timeout, or a proxy's page instead of Entra's JSON).
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

Exit codes: 0 ok, 1 unexpected (a bug or an error of the runtime), 2 usage, 3 the file cannot be
read or the certificate cannot be used (ClientCertificateCredential refuses it: the line that
names the file says why).
`;

export const EMULATOR_HELP = `Usage: entra-edge emulator [--port <n>] [--tls | --tls-cert <file> --tls-key <file>] [--app <tenant:client:secret>]... [--cert <tenant:client:file>]... [--config <file>]

Serves the local Entra emulator (a stand-in for the v2.0 token endpoint, from entra-edge/testing)
on 127.0.0.1 — over HTTPS with --tls, which every Microsoft client (MSAL for Python/.NET/Go/Java,
msal-node, @azure/identity) requires — prints its URL, the lines that make clients trust it and the
AZURE_* variables that point an app at it, logs each token request, and runs until Ctrl+C (SIGINT)
or SIGTERM. It judges requests as Entra does: expired certificates and secrets, assertion times and
audiences, federated credentials are refused with Entra's AADSTS codes.

Options:
  --port <n>                     the port (default 0: a free one)
  --tls                          serve HTTPS with a throwaway CA made for this run (localhost,
                                 127.0.0.1, ::1); its certificate goes to a temporary file (removed at
                                 exit) whose path is printed with NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE,
                                 SSL_CERT_FILE, CURL_CA_BUNDLE and DENO_CERT
  --ca-file <file>               with --tls: write the CA certificate there instead (kept at exit)
  --tls-cert <file> --tls-key <file>
                                 serve HTTPS with your certificate (PEM, chain after the leaf) and key
  --public-url <url>             the URL clients use when a proxy is in front (discovery documents,
                                 issuer URLs, accepted assertion audiences and AZURE_AUTHORITY_HOST):
                                 https:, or http: on localhost/127.0.0.1/[::1], with no user,
                                 password, query or fragment (authorityHost's rules)
  --app <tenant:client:secret>   register an app with a client secret (repeatable)
  --cert <tenant:client:file>    register an app's certificate: a PEM file with the CERTIFICATE,
                                 or the PEM/PFX the app uses (repeatable); its validity is enforced
  --federated <tenant:client:issuer|subject[|audience]>
                                 register a federated identity credential (repeatable); the issuer is
                                 a URL, or a name of the emulator's own issuer (<url>/issuer/<name>);
                                 the audience defaults to api://AzureADTokenExchange
  --expires-in <s>               expires_in of issued tokens (default 3599)
  --refresh-in <s>               refresh_in of issued tokens (default: not sent)
  --control                      serve the control API at /__emulator/ for connectEmulator(url) from
                                 entra-edge/testing (request log, faults, clock); browsers are refused
  --config <file>                a JSON file: { "port", "tls": true | { "cert", "key" }, "publicUrl",
                                 "control", "expiresIn", "refreshIn", "apps": [{ "tenantId", "clientId",
                                 "secrets": ["…" | { "value", "expiresOn" }], "certificates": ["file" |
                                 { "file", "startsOn", "expiresOn" }], "federatedCredentials": [{ "issuer",
                                 "subject", "audiences" }], "expiresIn", "refreshIn", "claims" }],
                                 "workloads": [{ "issuer", "subject", "requestToken" }] } (paths relative
                                 to the file; flags add apps and override the other fields; every app
                                 needs a credential, and an unknown field is an error)
  --password-env <VAR>           the password of --cert files that need one (default:
                                 AZURE_CLIENT_CERTIFICATE_PASSWORD when set)
  -h, --help                     this text

Example:
  entra-edge emulator --port 4000 --tls --app contoso:my-app:test-secret
  REQUESTS_CA_BUNDLE=<the CA file it printed> AZURE_AUTHORITY_HOST=https://127.0.0.1:4000 \\
    AZURE_TENANT_ID=contoso AZURE_CLIENT_ID=my-app AZURE_CLIENT_SECRET=test-secret python3 my_app.py

Exit codes: 0 stopped by a signal, 1 unexpected (a bug or an error of the runtime), 2 usage (also
a config file mistake), 3 a certificate, TLS or config file cannot be used, or the port is in use.
`;
