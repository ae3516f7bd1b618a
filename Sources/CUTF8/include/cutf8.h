#ifndef CUTF8_H
#define CUTF8_H

#include <stddef.h>
#include <stdint.h>

/// Whether this processor can run cutf8_is_valid's vector code (x86-64 with AVX2).
int cutf8_vector_available(void);

/// 1 when the `count` bytes at `data` are entirely valid UTF-8 (every character complete),
/// 0 when they are not. Checks 32 bytes at a time with AVX2; call only when
/// cutf8_vector_available(). It says only whether the text is valid: where it is not, the
/// caller finds the place with its byte-by-byte scan.
int cutf8_is_valid(const uint8_t *data, size_t count);

#endif
