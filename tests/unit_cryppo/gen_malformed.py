#!/usr/bin/env python3
"""Generate malformed_cases.h: the malformed-input table of test_malformed.c.

Every input is derived from one valid value made with fixed parameters, then
broken in one specific way, so that each row checks one cryppo_status.
Run from this folder: python3 gen_malformed.py > malformed_cases.h
(needs python3-cryptography; the output is committed, the build does not run
this script).
"""
import base64
import hashlib
import random
import struct

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY = bytes(range(32))            # AES key used by the C test (aes ops)
PASSPHRASE = "correct passphrase"  # passphrase used by the C test (kdf ops)
IV = bytes(range(100, 112))
SALT = bytes(range(200, 220))
PT = b"hello cryppo"
rng = random.Random(20210749)


def b64(b):
    return base64.urlsafe_b64encode(b).decode()


def cstr(key, value):
    return key.encode() + b"\0" + value


def e_bin(key, v):
    return b"\x05" + cstr(key, struct.pack("<i", len(v)) + b"\x00" + v)


def e_str(key, v):
    v = v.encode()
    return b"\x02" + cstr(key, struct.pack("<i", len(v) + 1) + v + b"\0")


def e_i32(key, v):
    return b"\x10" + cstr(key, struct.pack("<i", v))


def e_i64(key, v):
    return b"\x12" + cstr(key, struct.pack("<q", v))


def doc(*elems):
    body = b"".join(elems)
    return struct.pack("<i", len(body) + 5) + body + b"\0"


def seal(key, iv, pt, ad=b"none"):
    ct = AESGCM(key).encrypt(iv, pt, ad)
    return ct[:-16], ct[-16:]


CT, TAG = seal(KEY, IV, PT)


def art(iv=IV, at=TAG, ad="none", version=b"A"):
    return b64(version + doc(e_bin("iv", iv), e_bin("at", at), e_str("ad", ad)))


GOOD_ART = art()
GOOD = "Aes256Gcm.%s.%s" % (b64(CT), GOOD_ART)

DKEY = hashlib.pbkdf2_hmac("sha256", PASSPHRASE.encode(), SALT, 1000, 32)
DCT, DTAG = seal(DKEY, IV, PT)
DGOOD3 = "Aes256Gcm.%s.%s" % (b64(DCT), art(at=DTAG))


def kdf(*elems, version=b"K"):
    return b64(version + doc(*elems))


def derived(kdf_art, name="Pbkdf2Hmac"):
    return "%s.%s.%s" % (DGOOD3, name, kdf_art)


KDF_OK = (e_bin("iv", SALT), e_i32("i", 1000), e_i32("l", 32))


def yaml_art(text):
    return b64(text.encode())


def flip(s, i):
    """Change character i of a base64 text to another alphabet character."""
    c = s[i]
    return s[:i] + ("B" if c != "B" else "C") + s[i + 1:]


cases = []


def case(op, status, name, inp):
    cases.append((op, status, name, inp))


E = "CRYPPO_ERR_"
# ---- controls: the unbroken values decrypt
case("OP_AES", "CRYPPO_OK", "control: the valid AES value", GOOD)
case("OP_PASS", "CRYPPO_OK", "control: the valid derived value",
     derived(kdf(*KDF_OK)))
case("OP_PASS", "CRYPPO_OK", "control: int64 iterations and length, hash",
     derived(kdf(e_i64("i", 1000), e_bin("iv", SALT), e_i64("l", 32),
                 e_str("hash", "SHA256"))))
case("OP_PASS", "CRYPPO_OK", "control: YAML derivation artefacts",
     derived(yaml_art("---\n'i': 1000\n'iv': !!binary |-\n  %s\n'l': 32\n"
                      % base64.b64encode(SALT).decode())))
case("OP_AES", "CRYPPO_OK", "control: keys in the order ad, at, iv",
     "Aes256Gcm.%s.%s" % (b64(CT), b64(b"A" + doc(
         e_str("ad", "none"), e_bin("at", TAG), e_bin("iv", IV)))))
# ---- structure
case("OP_AES", E + "FORMAT", "empty string", "")
case("OP_AES", E + "FORMAT", "one part", "Aes256Gcm")
case("OP_AES", E + "FORMAT", "two parts", "Aes256Gcm." + b64(CT))
case("OP_AES", E + "FORMAT", "six parts", GOOD + ".a.b.c")
case("OP_AES", E + "FORMAT", "five parts given to aes_decrypt",
     derived(kdf(*KDF_OK)))
case("OP_AES", E + "FORMAT", "empty artefacts part", "Aes256Gcm.%s." % b64(CT))
case("OP_AES", E + "FORMAT", "truncated after the data part",
     "Aes256Gcm.%s" % b64(CT))
case("OP_AES", E + "UNKNOWN_STRATEGY", "Aes128Gcm",
     GOOD.replace("Aes256Gcm", "Aes128Gcm"))
case("OP_AES", E + "UNKNOWN_STRATEGY", "lower-case strategy",
     GOOD.replace("Aes256Gcm", "aes256gcm"))
case("OP_AES", E + "UNKNOWN_STRATEGY", "Aes256Ofb (Ruby only)",
     GOOD.replace("Aes256Gcm", "Aes256Ofb"))
case("OP_AES", E + "UNKNOWN_STRATEGY", "Rsa4096 given to aes_decrypt",
     "Rsa4096.%s.QQUAAAAA" % b64(bytes(512)))
# ---- base64
case("OP_AES", E + "BASE64", "'!' in the data part",
     "Aes256Gcm.ab!d.%s" % GOOD_ART)
case("OP_AES", E + "BASE64", "standard '+' in the data part",
     "Aes256Gcm.ab+d.%s" % GOOD_ART)
case("OP_AES", E + "BASE64", "standard '/' in the artefacts",
     "Aes256Gcm.%s.%s" % (b64(CT), GOOD_ART[:8] + "/" + GOOD_ART[9:]))
case("OP_AES", E + "BASE64", "'=' inside the data part",
     "Aes256Gcm.ab=dabcd.%s" % GOOD_ART)
case("OP_AES", E + "BASE64", "data length 1 mod 4",
     "Aes256Gcm.abcde.%s" % GOOD_ART)
case("OP_AES", E + "BASE64", "three '=' of padding",
     "Aes256Gcm.a===.%s" % GOOD_ART)
case("OP_AES", E + "BASE64", "non-canonical trailing bits ('QR==')",
     "Aes256Gcm.QR==.%s" % GOOD_ART)
case("OP_AES", E + "BASE64", "truncated artefacts (1 mod 4)",
     "Aes256Gcm.%s.%s" % (b64(CT), GOOD_ART[:45]))
case("OP_AES", E + "BASE64", "space in the artefacts",
     "Aes256Gcm.%s.%s" % (b64(CT), GOOD_ART[:10] + " " + GOOD_ART[11:]))
# ---- artefacts
case("OP_AES", E + "TOO_LARGE", "artefacts part of 4000 characters",
     "Aes256Gcm.%s.%s" % (b64(CT), "A" * 4000))
case("OP_AES", E + "ARTEFACTS", "truncated artefacts (BSON length)",
     "Aes256Gcm.%s.%s" % (b64(CT), GOOD_ART[:44]))
case("OP_AES", E + "ARTEFACT_VERSION", "version byte 'B'",
     "Aes256Gcm.%s.%s" % (b64(CT), art(version=b"B")))
case("OP_AES", E + "ARTEFACT_VERSION", "derivation version 'K' on AES",
     "Aes256Gcm.%s.%s" % (b64(CT), art(version=b"K")))
case("OP_AES", E + "ARTEFACTS", "version byte only",
     "Aes256Gcm.%s.%s" % (b64(CT), b64(b"A")))
case("OP_AES", E + "ARTEFACTS", "BSON length field too big",
     "Aes256Gcm.%s.%s" % (b64(CT), b64(b"A" + struct.pack("<i", 99) +
                                        doc(e_bin("iv", IV))[4:])))
case("OP_AES", E + "ARTEFACTS", "BSON binary length past the end",
     "Aes256Gcm.%s.%s" % (b64(CT), b64(b"A" + doc(
         b"\x05iv\0" + struct.pack("<i", 200) + b"\x00" + IV))))
case("OP_AES", E + "ARTEFACTS", "BSON string without NUL",
     "Aes256Gcm.%s.%s" % (b64(CT), b64(b"A" + doc(
         e_bin("iv", IV), e_bin("at", TAG),
         b"\x02ad\0" + struct.pack("<i", 4) + b"none"))))
case("OP_AES", E + "ARTEFACTS", "BSON double (unsupported type)",
     "Aes256Gcm.%s.%s" % (b64(CT), b64(b"A" + doc(
         e_bin("iv", IV), e_bin("at", TAG), b"\x01x\0" + bytes(8)))))
case("OP_AES", E + "ARTEFACTS", "BSON repeated iv",
     "Aes256Gcm.%s.%s" % (b64(CT), b64(b"A" + doc(
         e_bin("iv", IV), e_bin("iv", IV), e_bin("at", TAG)))))
case("OP_AES", E + "ARTEFACTS", "ad is an integer",
     "Aes256Gcm.%s.%s" % (b64(CT), b64(b"A" + doc(
         e_bin("iv", IV), e_bin("at", TAG), e_i32("ad", 1)))))
case("OP_AES", E + "IV", "iv missing",
     "Aes256Gcm.%s.%s" % (b64(CT), b64(b"A" + doc(
         e_bin("at", TAG), e_str("ad", "none")))))
case("OP_AES", E + "IV", "iv of 16 bytes",
     "Aes256Gcm.%s.%s" % (b64(CT), art(iv=bytes(16))))
case("OP_AES", E + "IV", "iv is an integer",
     "Aes256Gcm.%s.%s" % (b64(CT), b64(b"A" + doc(
         e_i32("iv", 7), e_bin("at", TAG), e_str("ad", "none")))))
case("OP_AES", E + "TAG", "tag missing",
     "Aes256Gcm.%s.%s" % (b64(CT), b64(b"A" + doc(
         e_bin("iv", IV), e_str("ad", "none")))))
case("OP_AES", E + "TAG", "tag of 12 bytes",
     "Aes256Gcm.%s.%s" % (b64(CT), art(at=TAG[:12])))
case("OP_AES", E + "ARTEFACTS", "YAML line without a colon",
     "Aes256Gcm.%s.%s" % (b64(CT), yaml_art("---\niv !binary |-\n  AAAA\n")))
case("OP_AES", E + "ARTEFACTS", "YAML binary with '_'",
     "Aes256Gcm.%s.%s" % (b64(CT), yaml_art(
         "---\niv: !binary |-\n  ab_d\n")))
case("OP_AES", E + "ARTEFACTS", "YAML unterminated quoted key",
     "Aes256Gcm.%s.%s" % (b64(CT), yaml_art("---\n'iv: x\n")))
case("OP_AES", E + "TAG", "YAML without at",
     "Aes256Gcm.%s.%s" % (b64(CT), yaml_art(
         "---\niv: !binary |-\n  %s\nad: none\n" % base64.b64encode(IV).decode())))
# ---- authentication
ct_b64 = b64(CT)
case("OP_AES", E + "DECRYPT", "tampered ciphertext",
     "Aes256Gcm.%s.%s" % (flip(ct_b64, 3), GOOD_ART))
case("OP_AES", E + "DECRYPT", "tampered tag",
     "Aes256Gcm.%s.%s" % (b64(CT), art(at=bytes([TAG[0] ^ 1]) + TAG[1:])))
case("OP_AES", E + "DECRYPT", "tampered iv",
     "Aes256Gcm.%s.%s" % (b64(CT), art(iv=bytes([IV[0] ^ 1]) + IV[1:])))
case("OP_AES", E + "DECRYPT", "tampered ad",
     "Aes256Gcm.%s.%s" % (b64(CT), art(ad="nonf")))
case("OP_AES", E + "DECRYPT", "ciphertext one byte short",
     "Aes256Gcm.%s.%s" % (b64(CT[:-1]), GOOD_ART))
case("OP_AES", E + "DECRYPT", "empty ciphertext with the original tag",
     "Aes256Gcm..%s" % GOOD_ART)
case("OP_AES_WRONG_KEY", E + "DECRYPT", "wrong key", GOOD)
# ---- passphrase-derived
case("OP_PASS", E + "FORMAT", "three parts given to passphrase_decrypt",
     DGOOD3)
case("OP_PASS_WRONG", E + "DECRYPT", "wrong passphrase", derived(kdf(*KDF_OK)))
case("OP_PASS", E + "UNKNOWN_KDF", "Scrypt derivation",
     derived(kdf(*KDF_OK), name="Scrypt"))
case("OP_PASS", E + "UNKNOWN_STRATEGY", "Rsa4096 with a derived key",
     derived(kdf(*KDF_OK)).replace("Aes256Gcm", "Rsa4096", 1))
case("OP_PASS", E + "KDF_PARAMS", "iterations above 10 million",
     derived(kdf(e_bin("iv", SALT), e_i32("i", 10000001), e_i32("l", 32))))
case("OP_PASS", E + "KDF_PARAMS", "iterations zero",
     derived(kdf(e_bin("iv", SALT), e_i32("i", 0), e_i32("l", 32))))
case("OP_PASS", E + "KDF_PARAMS", "iterations negative int64",
     derived(kdf(e_bin("iv", SALT), e_i64("i", -5), e_i32("l", 32))))
case("OP_PASS", E + "KDF_PARAMS", "iterations as a string",
     derived(kdf(e_bin("iv", SALT), e_str("i", "1000"), e_i32("l", 32))))
case("OP_PASS", E + "KDF_PARAMS", "salt missing",
     derived(kdf(e_i32("i", 1000), e_i32("l", 32))))
case("OP_PASS", E + "KDF_PARAMS", "empty salt",
     derived(kdf(e_bin("iv", b""), e_i32("i", 1000), e_i32("l", 32))))
case("OP_PASS", E + "KDF_PARAMS", "key length 2000",
     derived(kdf(e_bin("iv", SALT), e_i32("i", 1000), e_i32("l", 2000))))
case("OP_PASS", E + "KDF_PARAMS", "key length 16 (not AES-256)",
     derived(kdf(e_bin("iv", SALT), e_i32("i", 1000), e_i32("l", 16))))
case("OP_PASS", E + "KDF_PARAMS", "length missing",
     derived(kdf(e_bin("iv", SALT), e_i32("i", 1000))))
case("OP_PASS", E + "KDF_PARAMS", "hash SHA1",
     derived(kdf(*KDF_OK, e_str("hash", "SHA1"))))
case("OP_PASS", E + "BASE64", "bad data part, 9999999 iterations (no derivation)",
     derived(kdf(e_bin("iv", SALT), e_i32("i", 9999999), e_i32("l", 32)))
     .replace(DGOOD3.split(".")[1], "s", 1))
case("OP_PASS", E + "ARTEFACT_VERSION", "derivation artefacts with 'A'",
     derived(kdf(*KDF_OK, version=b"A")))
case("OP_PASS", E + "KDF_PARAMS", "YAML iterations 20 million",
     derived(yaml_art("---\n'i': 20000000\n'iv': !!binary |-\n  %s\n'l': 32\n"
                      % base64.b64encode(SALT).decode())))
# ---- RSA
rand512 = bytes(rng.getrandbits(8) for _ in range(512))
case("OP_RSA", E + "DECRYPT", "random RSA ciphertext, YAML '{}' artefacts",
     "Rsa4096.%s.%s" % (b64(rand512), yaml_art("---\n{}\n")))
case("OP_RSA", E + "ARTEFACTS", "RSA YAML artefacts '{}' then more",
     "Rsa4096.%s.%s" % (b64(rand512), yaml_art("---\n{}\nx\n")))
case("OP_RSA", E + "DECRYPT", "RSA ciphertext of 511 bytes",
     "Rsa4096.%s.QQUAAAAA" % b64(rand512[:511]))
case("OP_RSA", E + "DECRYPT", "RSA random ciphertext",
     "Rsa4096.%s.QQUAAAAA" % b64(rand512))
case("OP_RSA", E + "DECRYPT", "Rsa2048 name with a 4096-bit key",
     "Rsa2048.%s.QQUAAAAA" % b64(rand512))
case("OP_RSA", E + "UNKNOWN_STRATEGY", "Rsa12",
     "Rsa12.%s.QQUAAAAA" % b64(rand512))
case("OP_RSA", E + "UNKNOWN_STRATEGY", "Rsa04096",
     "Rsa04096.%s.QQUAAAAA" % b64(rand512))
case("OP_RSA", E + "ARTEFACT_VERSION", "RSA artefacts with version 'K'",
     "Rsa4096.%s.SwUAAAAA" % b64(rand512))
case("OP_RSA", E + "FORMAT", "RSA with four parts",
     "Rsa4096.%s.QQUAAAAA.x" % b64(rand512))
# ---- signatures
case("OP_VERIFY", E + "TOO_LARGE", "signed data of 513 bytes",
     "Sign.Rsa4096.%s.%s" % (b64(rand512), b64(bytes(513))))
case("OP_VERIFY", E + "SIGNATURE", "random signature",
     "Sign.Rsa4096.%s.%s" % (b64(rand512), b64(b"data")))
case("OP_VERIFY", E + "SIGNATURE", "signature of 511 bytes",
     "Sign.Rsa4096.%s.%s" % (b64(rand512[:511]), b64(b"data")))
case("OP_VERIFY", E + "UNKNOWN_STRATEGY", "Sign.Ecdsa",
     "Sign.Ecdsa.%s.%s" % (b64(rand512), b64(b"data")))
case("OP_VERIFY", E + "UNKNOWN_STRATEGY", "Signature.Rsa4096",
     "Signature.Rsa4096.%s.%s" % (b64(rand512), b64(b"data")))
case("OP_VERIFY", E + "FORMAT", "empty signature part",
     "Sign.Rsa4096..%s" % b64(b"data"))
case("OP_VERIFY", E + "FORMAT", "signature with three parts",
     "Sign.Rsa4096.%s" % b64(rand512))
case("OP_VERIFY", E + "BASE64", "signature part with '/'",
     "Sign.Rsa4096.ab/d.%s" % b64(b"data"))
# ---- secret keys
for name, s in [("empty secret", ""), ("secret with two parts", "1.user"),
                ("secret version 2", "2.user.52Y2w7-NXvFk4"),
                ("secret with empty username", "1..52Y2w7-NXvFk4"),
                ("secret with empty key", "1.user."),
                ("secret key of hyphens only", "1.user.---"),
                ("secret key with '0' (not base58)", "1.user.52Y2w0"),
                ("secret key with 'l' (not base58)", "1.user.52Y2wl"),
                ("secret with four parts", "1.user.52Y2w7.NXvFk4")]:
    case("OP_SECRET", E + "SECRET_FORMAT", name, s)
# ---- encodings
case("OP_B58", E + "BASE58", "base58 with '0'", "abc0")
case("OP_B58", E + "BASE58", "base58 with 'I'", "I")
case("OP_B58", E + "BASE58", "base58 with a space", "ab c")
case("OP_B64", E + "BASE64", "base64 'QQ=' (partial padding)", "QQ=")
case("OP_B64", E + "BASE64", "base64 '=' only", "=")


def c_literal(s):
    out, line = [], ""
    for ch in s:
        line += "\\\\" if ch == "\\" else ("\\n" if ch == "\n" else ch)
        if len(line) >= 64:
            out.append('"%s"' % line)
            line = ""
    out.append('"%s"' % line)
    return "\n         ".join(out)


print("/* Generated by gen_malformed.py: do not edit. */")
print("/* AES key = bytes 0..31; passphrase = \"%s\". */" % PASSPHRASE)
for op, st, name, inp in cases:
    print("{%s, %s, \"%s\",\n         %s}," % (op, st, name, c_literal(inp)))
