"""MSAL for Python (Debian's python3-msal) against `entra-edge emulator --tls`, as a user runs it.

test/tooling/real-clients.test.ts starts the CLI emulator and runs this script with the variables
the emulator printed (AZURE_AUTHORITY_HOST, AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET,
REQUESTS_CA_BUNDLE) plus CERT_* for the certificate cases. Prints one JSON line per case:
{"case": ..., "ok": bool, "access_token"?: ..., "error_codes"?: [...], "error_description"?: ...}.
"""
import json
import os
import sys

# README:begin
import os, msal

app = msal.ConfidentialClientApplication(
    os.environ["AZURE_CLIENT_ID"],
    client_credential=os.environ["AZURE_CLIENT_SECRET"],
    authority=f"{os.environ['AZURE_AUTHORITY_HOST']}/{os.environ['AZURE_TENANT_ID']}",
    instance_discovery=False,  # the emulator is not a Microsoft cloud: no call to login.microsoftonline.com
)
result = app.acquire_token_for_client(scopes=["https://graph.microsoft.com/.default"])
# README:end


def report(case, result):
    line = {"case": case, "ok": "access_token" in result}
    for key in ("access_token", "error", "error_codes", "error_description", "token_type", "expires_in"):
        if key in result:
            line[key] = result[key]
    print(json.dumps(line), flush=True)


report("secret", result)

authority = f"{os.environ['AZURE_AUTHORITY_HOST']}/{os.environ['AZURE_TENANT_ID']}"
scopes = ["https://graph.microsoft.com/.default"]

wrong = msal.ConfidentialClientApplication(os.environ["AZURE_CLIENT_ID"], client_credential="not-the-secret", authority=authority, instance_discovery=False)
report("wrong secret", wrong.acquire_token_for_client(scopes=scopes))

# Instance discovery answered by the emulator (MSAL's own parsing of Entra's answer shape).
discovered = msal.ConfidentialClientApplication(
    os.environ["AZURE_CLIENT_ID"],
    client_credential=os.environ["AZURE_CLIENT_SECRET"],
    authority=authority,
    instance_discovery=f"{os.environ['AZURE_AUTHORITY_HOST']}/common/discovery/instance",
)
report("secret, instance discovery from the emulator", discovered.acquire_token_for_client(scopes=scopes))


def certificate_case(case, client_id, pem_file, thumbprint, with_chain=False):
    with open(pem_file) as f:
        pem = f.read()
    credential = {"private_key": pem, "thumbprint": thumbprint}
    if with_chain:
        credential["public_certificate"] = pem
    cca = msal.ConfidentialClientApplication(client_id, client_credential=credential, authority=authority, instance_discovery=False)
    report(case, cca.acquire_token_for_client(scopes=scopes))


certificate_case("certificate", os.environ["CERT_CLIENT_ID"], os.environ["CERT_PEM"], os.environ["CERT_THUMBPRINT"])
certificate_case("certificate with x5c", os.environ["CERT_CLIENT_ID"], os.environ["CERT_PEM"], os.environ["CERT_THUMBPRINT"], with_chain=True)
certificate_case("expired certificate", os.environ["EXPIRED_CLIENT_ID"], os.environ["EXPIRED_PEM"], os.environ["EXPIRED_THUMBPRINT"])
print(json.dumps({"done": True, "msal": msal.__version__, "python": sys.version.split()[0]}), flush=True)
