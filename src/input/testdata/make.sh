#!/bin/sh
# Regenerates the input decoder's fixtures with openssl (tested with 3.0).
# Run from anywhere: sh src/input/testdata/make.sh
#
# Every key here is a throwaway made for these tests and protects nothing.
# Certificates are valid for 100 years so that no test depends on today.
set -eu

out=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

days=36500

# Root CA (RSA), intermediate CA (P-256) and client leaf (P-256).
openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem \
    -days "$days" -subj "/CN=Input Test Root" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout int.key -out int.csr -subj "/CN=Input Test Intermediate"
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' > int.ext
openssl x509 -req -in int.csr -CA root.pem -CAkey root.key -CAcreateserial \
    -days "$days" -extfile int.ext -out int.pem
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout leaf.key -out leaf.csr -subj "/CN=input-test-client"
printf 'basicConstraints=critical,CA:FALSE\nextendedKeyUsage=clientAuth\n' > leaf.ext
openssl x509 -req -in leaf.csr -CA int.pem -CAkey int.key -CAcreateserial \
    -days "$days" -extfile leaf.ext -out leaf.pem

cat leaf.pem int.pem root.pem > "$out/bundle.pem"
cp leaf.csr "$out/csr.pem"
openssl x509 -in leaf.pem -outform DER -out "$out/leaf.der"
openssl x509 -in int.pem -outform DER -out "$out/int.der"
openssl req -in leaf.csr -outform DER -out "$out/csr.der"

# The root in OpenSSL's TRUSTED CERTIFICATE form: certificate plus aux data.
openssl x509 -in root.pem -addtrust clientAuth -trustout -out "$out/trusted.pem"

# A CRL issued by the root, with no revoked entries.
mkdir ca
: > ca/index.txt
echo 01 > ca/crlnumber
cat > ca.cnf <<CNF
[ca]
default_ca = test_ca
[test_ca]
database = ca/index.txt
crlnumber = ca/crlnumber
default_md = sha256
default_crl_days = $days
CNF
openssl ca -config ca.cnf -gencrl -keyfile root.key -cert root.pem -out "$out/crl.pem"
openssl crl -in "$out/crl.pem" -outform DER -out "$out/crl.der"

# Private keys in the encodings people paste by mistake.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$out/key-pkcs8.pem"
openssl pkey -in "$out/key-pkcs8.pem" -outform DER -out "$out/key-pkcs8.der"
openssl rsa -in "$out/key-pkcs8.pem" -traditional -out "$out/key-rsa.pem"
openssl rsa -in "$out/key-pkcs8.pem" -traditional -outform DER -out "$out/key-rsa.der"
openssl rsa -in "$out/key-pkcs8.pem" -traditional -aes128 -passout pass:test \
    -out "$out/key-rsa-legacy-encrypted.pem"
openssl ecparam -name prime256v1 -genkey -noout -out "$out/key-ec.pem"
openssl ec -in "$out/key-ec.pem" -outform DER -out "$out/key-ec.der"
openssl pkcs8 -topk8 -in "$out/key-pkcs8.pem" -v2 aes-256-cbc -passout pass:test \
    -out "$out/key-encrypted.pem"
openssl pkcs8 -topk8 -in "$out/key-pkcs8.pem" -v2 aes-256-cbc -passout pass:test \
    -outform DER -out "$out/key-encrypted.der"
openssl pkcs12 -export -in leaf.pem -inkey leaf.key -passout pass:test \
    -out "$out/leaf.p12"
