#!/usr/bin/env bash
# Builds the per-machine MSI from packaging/windows/guichet.wxs with msitools' wixl, then
# signs it with osslsigncode (Authenticode, SHA-256). Output: $OUT/artefacts/*.msi
#
# Payload: PAYLOAD=/path/to/dist/guichet (the Windows one-folder bundle, built on Windows
# with the same spec); without it, a small stand-in payload proves the definition here.
# Signing key, one of:
#   MSI_SIGN_CERT=chain.pem MSI_SIGN_KEY=key.pem            key in a file (test only)
#   MSI_SIGN_CERT=chain.pem MSI_PKCS11_MODULE=/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so \
#     MSI_PKCS11_KEY='pkcs11:token=CodeSign;object=guichet;type=private' [MSI_PKCS11_PIN=…]
#                                                            key in a token/HSM (release)
#   nothing: a throw-away test CA and code-signing certificate in $OUT/keys (CI).
# Timestamp: MSI_TIMESTAMP_URL=http://tsa.example/ (RFC 3161). Offline builds (this
# sandbox, CI) cannot reach a TSA: they sign without, and the README says so.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${OUT:-$root/build/packaging}"
keys="$out/keys"
work="$out/msi"
version="${MSI_VERSION:-$(python3 -c 'import sys,tomllib;print(tomllib.load(open(sys.argv[1],"rb"))["project"]["version"])' "$root/pyproject.toml")}"
rm -rf "$work"
mkdir -p "$work" "$keys" "$out/artefacts"

payload="${PAYLOAD:-}"
if [ -z "$payload" ]; then
  payload="$work/standin"
  mkdir -p "$payload/_internal"
  printf 'STAND-IN: replace with the Windows bundle built by PyInstaller (dist\\guichet)\n' \
    > "$payload/guichet.exe"
  cp "$payload/guichet.exe" "$payload/guichet-console.exe"
  cp "$root/packaging/LICENSES.md" "$payload/_internal/LICENSES.md"
fi
payload="$(cd "$payload" && pwd)"

find "$payload" -type f | LC_ALL=C sort \
  | wixl-heat --prefix "$payload/" --directory-ref INSTALLDIR --component-group CG.Payload \
      --var var.PayloadDir --win64 > "$work/payload.wxs"
# wixl resolves Source="…" against the current folder only (absolute paths are refused).
(cd "$payload" && wixl --arch x64 -D Version="$version" -D PayloadDir=. -D Win64=yes \
  -o "$work/unsigned.msi" "$root/packaging/windows/guichet.wxs" "$work/payload.wxs")

sign=(osslsigncode sign -h sha256 -n "Guichet Maprocuration" -i "https://guichet.invalid/")
if [ -n "${MSI_PKCS11_MODULE:-}" ]; then
  sign+=(-pkcs11module "$MSI_PKCS11_MODULE" -key "$MSI_PKCS11_KEY" -certs "$MSI_SIGN_CERT")
  if [ -n "${MSI_PKCS11_PIN:-}" ]; then sign+=(-pass "$MSI_PKCS11_PIN"); fi
elif [ -n "${MSI_SIGN_KEY:-}" ]; then
  sign+=(-certs "$MSI_SIGN_CERT" -key "$MSI_SIGN_KEY")
else
  echo "no MSI signing key given: using a throw-away TEST code-signing certificate" >&2
  if [ ! -f "$keys/msi-test-key.pem" ]; then
    openssl req -x509 -newkey rsa:3072 -nodes -days 2 -subj "/CN=Guichet TEST root CA" \
      -keyout "$keys/msi-test-ca-key.pem" -out "$keys/msi-test-ca.pem" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
    openssl req -newkey rsa:3072 -nodes -subj "/CN=Guichet Maprocuration TEST code signing" \
      -keyout "$keys/msi-test-key.pem" -out "$work/leaf.csr" 2>/dev/null
    printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n' \
      > "$work/leaf.ext"
    openssl x509 -req -in "$work/leaf.csr" -CA "$keys/msi-test-ca.pem" \
      -CAkey "$keys/msi-test-ca-key.pem" -CAcreateserial -days 2 -extfile "$work/leaf.ext" \
      -out "$keys/msi-test-cert.pem" 2>/dev/null
  fi
  sign+=(-certs "$keys/msi-test-cert.pem" -key "$keys/msi-test-key.pem")
fi
if [ -n "${MSI_TIMESTAMP_URL:-}" ]; then sign+=(-ts "$MSI_TIMESTAMP_URL"); fi

msi="$out/artefacts/guichet-maprocuration-$version-x64.msi"
rm -f "$msi"
"${sign[@]}" -in "$work/unsigned.msi" -out "$msi" >/dev/null
echo "$msi"
