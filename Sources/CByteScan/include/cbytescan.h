#ifndef CByteScan_H
#define CByteScan_H

#include <stddef.h>
#include <stdint.h>

/// Whether this processor can run the vector code below (x86-64 with AVX2 and POPCNT).
int cbytescan_vector_available(void);

/// 1 when the `count` bytes at `data` are entirely valid UTF-8 (every character complete),
/// 0 when they are not. Checks 32 bytes at a time with AVX2; call only when
/// cbytescan_vector_available(). It says only whether the text is valid: where it is not, the
/// caller finds the place with its byte-by-byte scan.
int cbytescan_utf8_is_valid(const uint8_t *data, size_t count);

/// How many lines end in the `count` bytes at `data`, counted as the CSV reader counts them: an
/// LF, a CR followed by an LF (once), or a lone CR. `after_carriage_return` says the bytes
/// before ended with a CR, whose LF, if it starts these bytes, was counted with it. 32 bytes at
/// a time with AVX2; call only when cbytescan_vector_available().
size_t cbytescan_count_line_ends(const uint8_t *data, size_t count, int after_carriage_return);

/// The index of the first LF or CR in the `count` bytes at `data`, or `count` when there is
/// neither: where the CSV reader's next line ends. 32 bytes at a time with AVX2; call only when
/// cbytescan_vector_available().
size_t cbytescan_first_line_end(const uint8_t *data, size_t count);

#endif
