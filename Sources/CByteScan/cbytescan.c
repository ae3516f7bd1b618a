// Scans of input bytes 32 at a time with AVX2.
//
// UTF-8 validation follows the "lookup" algorithm of Keiser and Lemire,
// "Validating UTF-8 In Less Than One Instruction Per Byte" (Software: Practice and Experience,
// 2021), as published in simdjson and simdutf (Apache-2.0/MIT). Each byte is classified by the
// high nibble of the byte before it, the low nibble of the byte before it and its own high
// nibble; the three table entries share a set bit only for an error, except that a byte two or
// three places after a three- or four-byte lead must be a continuation, which is checked apart.
#include "cbytescan.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#include <string.h>

int cbytescan_vector_available(void) {
  unsigned int a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  // POPCNT for the line count; AVX needs the OS to save the YMM registers (OSXSAVE, and XCR0
  // bits 1 and 2).
  if (!((c >> 23) & 1) || !((c >> 27) & 1) || !((c >> 28) & 1)) return 0;
  unsigned int low, high;
  __asm__("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
  if ((low & 6) != 6) return 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  return (b >> 5) & 1;
}

enum {
  too_short = 1 << 0,   // a lead or ASCII byte where a continuation was due
  too_long = 1 << 1,    // a continuation after an ASCII byte
  overlong_3 = 1 << 2,  // E0 followed by 80-9F
  too_large = 1 << 3,   // above U+10FFFF
  surrogate = 1 << 4,   // ED followed by A0-BF
  overlong_2 = 1 << 5,  // C0 or C1
  too_large_1000 = 1 << 6,
  overlong_4 = 1 << 6,  // F0 followed by 80-8F
  two_continuations = 1 << 7,
  carry = too_short | too_long | two_continuations,
};

__attribute__((target("avx2"))) static inline __m256i table(
    const uint8_t entries[16], __m256i nibbles) {
  __m256i lookup = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)entries));
  return _mm256_shuffle_epi8(lookup, nibbles);
}

/// The 32 bytes ending `shift` bytes before the end of `input`, the earlier ones from `previous`.
#define CByteScan_PREVIOUS(input, previous, shift)                                             \
  _mm256_alignr_epi8((input), _mm256_permute2x128_si256((previous), (input), 0x21), \
                     16 - (shift))

__attribute__((target("avx2"))) static inline __m256i block_errors(__m256i input,
                                                                  __m256i previous) {
  static const uint8_t first_high[16] = {
      too_long, too_long, too_long, too_long, too_long, too_long, too_long, too_long,
      two_continuations, two_continuations, two_continuations, two_continuations,
      too_short | overlong_2, too_short, too_short | overlong_3 | surrogate,
      too_short | too_large | too_large_1000 | overlong_4};
  static const uint8_t first_low[16] = {
      carry | overlong_3 | overlong_2 | overlong_4,
      carry | overlong_2,
      carry,
      carry,
      carry | too_large,
      carry | too_large | too_large_1000,
      carry | too_large | too_large_1000,
      carry | too_large | too_large_1000,
      carry | too_large | too_large_1000,
      carry | too_large | too_large_1000,
      carry | too_large | too_large_1000,
      carry | too_large | too_large_1000,
      carry | too_large | too_large_1000,
      carry | too_large | too_large_1000 | surrogate,
      carry | too_large | too_large_1000,
      carry | too_large | too_large_1000};
  static const uint8_t second_high[16] = {
      too_short, too_short, too_short, too_short, too_short, too_short, too_short, too_short,
      too_long | overlong_2 | two_continuations | overlong_3 | too_large_1000 | overlong_4,
      too_long | overlong_2 | two_continuations | overlong_3 | too_large,
      too_long | overlong_2 | two_continuations | surrogate | too_large,
      too_long | overlong_2 | two_continuations | surrogate | too_large,
      too_short, too_short, too_short, too_short};
  const __m256i low_nibble = _mm256_set1_epi8(0x0F);
  __m256i previous1 = CByteScan_PREVIOUS(input, previous, 1);
  __m256i special = _mm256_and_si256(
      _mm256_and_si256(
          table(first_high, _mm256_and_si256(_mm256_srli_epi16(previous1, 4), low_nibble)),
          table(first_low, _mm256_and_si256(previous1, low_nibble))),
      table(second_high, _mm256_and_si256(_mm256_srli_epi16(input, 4), low_nibble)));
  __m256i previous2 = CByteScan_PREVIOUS(input, previous, 2);
  __m256i previous3 = CByteScan_PREVIOUS(input, previous, 3);
  __m256i third = _mm256_subs_epu8(previous2, _mm256_set1_epi8((char)(0xE0 - 0x80)));
  __m256i fourth = _mm256_subs_epu8(previous3, _mm256_set1_epi8((char)(0xF0 - 0x80)));
  __m256i must_continue =
      _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8((char)0x80));
  return _mm256_xor_si256(must_continue, special);
}

__attribute__((target("avx2"))) int cbytescan_utf8_is_valid(const uint8_t *data, size_t count) {
  __m256i previous = _mm256_setzero_si256();
  __m256i errors = _mm256_setzero_si256();
  size_t index = 0;
  for (; index + 32 <= count; index += 32) {
    __m256i input = _mm256_loadu_si256((const __m256i *)(data + index));
    // A block of ASCII after complete characters cannot hold an error.
    if (_mm256_movemask_epi8(input) == 0 && _mm256_movemask_epi8(previous) == 0) {
      previous = input;
      continue;
    }
    errors = _mm256_or_si256(errors, block_errors(input, previous));
    previous = input;
  }
  // The rest, then a block of zeros: a character cut by the end meets ASCII and is too short.
  uint8_t tail[32] = {0};
  if (count > index) memcpy(tail, data + index, count - index);
  errors = _mm256_or_si256(
      errors, block_errors(_mm256_loadu_si256((const __m256i *)tail), previous));
  return _mm256_testz_si256(errors, errors);
}

__attribute__((target("avx2,popcnt"))) size_t cbytescan_count_line_ends(
    const uint8_t *data, size_t count, int after_carriage_return) {
  const __m256i line_feed = _mm256_set1_epi8('\n');
  const __m256i carriage_return = _mm256_set1_epi8('\r');
  // Every CR and every LF, less each LF right after a CR.
  size_t total = 0;
  unsigned previous_cr = after_carriage_return ? 1 : 0;
  size_t index = 0;
  for (; index + 32 <= count; index += 32) {
    __m256i input = _mm256_loadu_si256((const __m256i *)(data + index));
    unsigned feeds = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(input, line_feed));
    unsigned returns = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(input, carriage_return));
    unsigned paired = feeds & ((returns << 1) | previous_cr);
    total += (size_t)(__builtin_popcount(feeds) + __builtin_popcount(returns) -
                      __builtin_popcount(paired));
    previous_cr = returns >> 31;
  }
  for (; index < count; index++) {
    uint8_t byte = data[index];
    if (byte == '\n') {
      if (!previous_cr) total++;
      previous_cr = 0;
    } else if (byte == '\r') {
      total++;
      previous_cr = 1;
    } else {
      previous_cr = 0;
    }
  }
  return total;
}

__attribute__((target("avx2"))) size_t cbytescan_first_line_end(const uint8_t *data,
                                                                  size_t count) {
  const __m256i line_feed = _mm256_set1_epi8('\n');
  const __m256i carriage_return = _mm256_set1_epi8('\r');
  size_t index = 0;
  for (; index + 32 <= count; index += 32) {
    __m256i input = _mm256_loadu_si256((const __m256i *)(data + index));
    unsigned ends = (unsigned)_mm256_movemask_epi8(_mm256_or_si256(
        _mm256_cmpeq_epi8(input, line_feed), _mm256_cmpeq_epi8(input, carriage_return)));
    if (ends != 0) return index + (size_t)__builtin_ctz(ends);
  }
  if (index < count && count >= 32) {
    // The last 32 bytes, less those already scanned.
    size_t start = count - 32;
    __m256i input = _mm256_loadu_si256((const __m256i *)(data + start));
    unsigned ends = (unsigned)_mm256_movemask_epi8(_mm256_or_si256(
        _mm256_cmpeq_epi8(input, line_feed), _mm256_cmpeq_epi8(input, carriage_return)));
    ends &= ~0u << (index - start);
    return ends != 0 ? start + (size_t)__builtin_ctz(ends) : count;
  }
  for (; index < count; index++) {
    if (data[index] == '\n' || data[index] == '\r') return index;
  }
  return count;
}

#else

int cbytescan_vector_available(void) { return 0; }

size_t cbytescan_first_line_end(const uint8_t *data, size_t count) {
  (void)data;
  return count;
}

int cbytescan_utf8_is_valid(const uint8_t *data, size_t count) {
  (void)data;
  (void)count;
  return 0;
}

size_t cbytescan_count_line_ends(const uint8_t *data, size_t count, int after_carriage_return) {
  (void)data;
  (void)count;
  (void)after_carriage_return;
  return 0;
}

#endif
