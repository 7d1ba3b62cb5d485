#!/usr/bin/env bash
# Regenerates the signature test fixtures in this folder with OpenSSL 3.
#
# Output, all PEM certificates (private keys are made in a temporary folder
# and deleted, so none is committed):
#   self-signed/<key>-<signature>.pem  one self-signed certificate per key type
#                                       and signature algorithm
#   chain/<name>-root.pem, chain/<name>-leaf.pem
#                                       a root CA and a leaf with the clientAuth
#                                       EKU issued by it, per algorithm
#
# Every certificate is valid for 36500 days from generation, so tests pin a
# check time inside that window (2100-01-01) and never depend on today.
#
# Usage: bash make.sh   (run from any folder; rewrites the files in place)
set -euo pipefail

out_dir="$(cd "$(dirname "$0")" && pwd)"
work_dir="$(mktemp -d)"
trap 'rm -rf "$work_dir"' EXIT

days=36500
rm -rf "$out_dir/self-signed" "$out_dir/chain"
mkdir -p "$out_dir/self-signed" "$out_dir/chain"

# new_key NAME ALGORITHM [PKEYOPT...]: writes $work_dir/NAME.key.
new_key() {
    local name="$1" algorithm="$2"
    shift 2
    local options=()
    for option in "$@"; do
        options+=(-pkeyopt "$option")
    done
    openssl genpkey -quiet -algorithm "$algorithm" "${options[@]}" -out "$work_dir/$name.key"
}

# new_dsa_key NAME BITS: DSA needs its domain parameters generated first.
new_dsa_key() {
    local name="$1" bits="$2"
    openssl genpkey -quiet -genparam -algorithm DSA -pkeyopt "dsa_paramgen_bits:$bits" \
        -out "$work_dir/$name.params"
    openssl genpkey -quiet -paramfile "$work_dir/$name.params" -out "$work_dir/$name.key"
}

# self_signed KEY OUTPUT [REQ OPTION...]: a self-signed certificate for KEY.
self_signed() {
    local key="$1" output="$2"
    shift 2
    openssl req -x509 -new -key "$work_dir/$key.key" -subj "/CN=mtls-check test $output" \
        -days "$days" "$@" -out "$out_dir/self-signed/$output.pem"
}

new_key rsa512 RSA rsa_keygen_bits:512
new_key rsa1024 RSA rsa_keygen_bits:1024
new_key rsa2048 RSA rsa_keygen_bits:2048
new_key rsa3072 RSA rsa_keygen_bits:3072
new_key rsa4096 RSA rsa_keygen_bits:4096
new_key rsapss2048 RSA-PSS rsa_keygen_bits:2048
for bits in 256 384 512; do
    salt=$((bits / 8))
    new_key "rsapss2048-params-sha$bits" RSA-PSS rsa_keygen_bits:2048 \
        "rsa_pss_keygen_md:sha$bits" "rsa_pss_keygen_mgf1_md:sha$bits" \
        "rsa_pss_keygen_saltlen:$salt"
done
new_key p256 EC ec_paramgen_curve:P-256 ec_param_enc:named_curve
new_key p384 EC ec_paramgen_curve:P-384 ec_param_enc:named_curve
new_key p521 EC ec_paramgen_curve:P-521 ec_param_enc:named_curve
new_key secp256k1 EC ec_paramgen_curve:secp256k1 ec_param_enc:named_curve
new_key brainpoolP256r1 EC ec_paramgen_curve:brainpoolP256r1 ec_param_enc:named_curve
new_key ed25519 ED25519
new_key ed448 ED448
new_dsa_key dsa2048 2048

# RSA PKCS#1 v1.5.
for hash in sha1 sha256 sha384 sha512 md5; do
    self_signed rsa2048 "rsa2048-$hash" "-$hash"
done
for bits in 512 1024 3072 4096; do
    self_signed "rsa$bits" "rsa$bits-sha256" -sha256
done

# RSASSA-PSS with an rsaEncryption key, salt length equal to the hash length.
for bits in 256 384 512; do
    self_signed rsa2048 "rsa2048-pss-sha$bits" "-sha$bits" \
        -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:$((bits / 8))
done
# Parameter sets outside the three that webpki matches byte for byte. SHA-1
# with salt 20 is RFC 4055's default set, written as an empty SEQUENCE.
self_signed rsa2048 rsa2048-pss-sha1 -sha1 \
    -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:20
self_signed rsa2048 rsa2048-pss-sha256-salt20 -sha256 \
    -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:20
self_signed rsa2048 rsa2048-pss-sha256-mgf1sha1 -sha256 \
    -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha1

# RSASSA-PSS with an id-RSASSA-PSS key: unrestricted, then restricted by
# parameters in its SPKI.
self_signed rsapss2048 rsapss2048-sha256 -sha256 -sigopt rsa_pss_saltlen:32
self_signed rsapss2048 rsapss2048-sha256-saltmax -sha256 -sigopt rsa_pss_saltlen:max
for bits in 256 384 512; do
    self_signed "rsapss2048-params-sha$bits" "rsapss2048-params-sha$bits" "-sha$bits"
done

# ECDSA.
for curve in p256 p384; do
    for hash in sha1 sha256 sha384 sha512; do
        self_signed "$curve" "$curve-$hash" "-$hash"
    done
done
for hash in sha256 sha384 sha512; do
    self_signed p521 "p521-$hash" "-$hash"
done
self_signed secp256k1 secp256k1-sha256 -sha256
self_signed brainpoolP256r1 brainpoolP256r1-sha256 -sha256

# EdDSA and DSA.
self_signed ed25519 ed25519
self_signed ed448 ed448
self_signed dsa2048 dsa2048-sha256 -sha256

# Chains: root CA -> leaf with the clientAuth EKU, each with its own keys.
cat > "$work_dir/leaf.cnf" <<'CNF'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

# chain NAME [SIGNING OPTION...]: needs $work_dir/NAME-root.key and
# $work_dir/NAME-leaf.key; both certificates are signed with the options given.
chain() {
    local name="$1"
    shift
    openssl req -x509 -new -key "$work_dir/$name-root.key" \
        -subj "/CN=mtls-check test $name root" -days "$days" -set_serial 1 \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" \
        "$@" -out "$out_dir/chain/$name-root.pem"
    openssl req -new -key "$work_dir/$name-leaf.key" \
        -subj "/CN=mtls-check test $name leaf" -out "$work_dir/$name-leaf.csr"
    openssl x509 -req -in "$work_dir/$name-leaf.csr" -CA "$out_dir/chain/$name-root.pem" \
        -CAkey "$work_dir/$name-root.key" -days "$days" -set_serial 2 \
        -extfile "$work_dir/leaf.cnf" "$@" -out "$out_dir/chain/$name-leaf.pem"
}

for role in root leaf; do
    new_key "rsa2048-$role" RSA rsa_keygen_bits:2048
    new_key "p256-$role" EC ec_paramgen_curve:P-256 ec_param_enc:named_curve
    new_key "p384-$role" EC ec_paramgen_curve:P-384 ec_param_enc:named_curve
    new_key "ed25519-$role" ED25519
    new_key "rsa-pss-signature-$role" RSA rsa_keygen_bits:2048
    new_key "rsapss-$role" RSA-PSS rsa_keygen_bits:2048 rsa_pss_keygen_md:sha256 \
        rsa_pss_keygen_mgf1_md:sha256 rsa_pss_keygen_saltlen:32
done

chain rsa2048 -sha256
chain p256 -sha256
chain p384 -sha384
chain ed25519
# rsaEncryption keys signing with RSASSA-PSS.
chain rsa-pss-signature -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32
# id-RSASSA-PSS keys restricted to SHA-256, MGF1-SHA-256, salt 32.
chain rsapss -sha256
