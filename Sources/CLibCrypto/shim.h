// OpenSSL 3's libcrypto gives the national algorithms (SM3, SM4, HMAC-SM3) from its default provider, through EVP only.
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
