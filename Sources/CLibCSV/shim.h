#ifndef TALENT_SCREEN_CLIBCSV_SHIM_H
#define TALENT_SCREEN_CLIBCSV_SHIM_H
#include <csv.h>

/// libcsv's space test, answering that no character is a space so fields keep their blanks.
/// libcsv calls it for nearly every byte, so it is C: a Swift function would be reached
/// through a thunk each time.
static inline int talent_screen_no_spaces(unsigned char c) {
  (void)c;
  return 0;
}
#endif
