#ifndef CSHA256_H
#define CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// The 64 round constants of FIPS 180-4 (4.2.2), for the portable rounds too.
const uint32_t *csha256_round_constants(void);

/// Whether this processor has the SHA extensions (x86-64 SHA-NI with SSSE3 and SSE4.1).
int csha256_hardware_available(void);

/// Compresses `blocks` 64-byte blocks of `data` into `state` (the eight working words, in the
/// FIPS 180-4 order) with the SHA instructions. Call only when csha256_hardware_available().
void csha256_hardware_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
