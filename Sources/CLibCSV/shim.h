#ifndef TALENT_SCREEN_CLIBCSV_SHIM_H
#define TALENT_SCREEN_CLIBCSV_SHIM_H
#include <csv.h>
#endif
