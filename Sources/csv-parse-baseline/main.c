// Parse-only baseline: the time any libcsv-based tool needs at least to read a CSV file.
// Reads the file in 1 MiB blocks, feeds them to csv_parse with the same options TalentScreen
// uses (strict, empty-is-null, no space trimming) and counts fields and records. Prints the
// counts and its own peak resident memory (VmHWM: the peak of this program's image only, not
// the parent's memory that wait4 reports for a child started with vfork/posix_spawn).
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct counts {
  unsigned long long fields;
  unsigned long long records;
  unsigned long long bytes;
};

static void on_field(void *field, size_t length, void *data) {
  struct counts *counts = data;
  (void)field;
  counts->fields += 1;
  counts->bytes += length;
}

static void on_record(int terminator, void *data) {
  struct counts *counts = data;
  (void)terminator;
  counts->records += 1;
}

static long peak_resident_kilobytes(void) {
  FILE *status = fopen("/proc/self/status", "r");
  if (status == NULL) return -1;
  char line[256];
  long kilobytes = -1;
  while (fgets(line, sizeof line, status) != NULL) {
    if (strncmp(line, "VmHWM:", 6) == 0) {
      kilobytes = strtol(line + 6, NULL, 10);
      break;
    }
  }
  fclose(status);
  return kilobytes;
}

static int no_spaces(unsigned char c) {
  (void)c;
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: csv-parse-baseline FILE\n");
    return 2;
  }
  int descriptor = open(argv[1], O_RDONLY);
  if (descriptor < 0) {
    fprintf(stderr, "csv-parse-baseline: %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  struct csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0) return 1;
  csv_set_space_func(&parser, no_spaces);
  csv_set_blk_size(&parser, 64 * 1024);
  enum { block_size = 1 << 20 };
  char *block = malloc(block_size);
  if (block == NULL) return 1;
  struct counts counts = {0, 0, 0};
  unsigned long long total = 0;
  for (;;) {
    ssize_t got = read(descriptor, block, block_size);
    if (got < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "csv-parse-baseline: read: %s\n", strerror(errno));
      return 1;
    }
    if (got == 0) break;
    total += (unsigned long long)got;
    if (csv_parse(&parser, block, (size_t)got, on_field, on_record, &counts) != (size_t)got) {
      fprintf(stderr, "csv-parse-baseline: %s\n", csv_strerror(csv_error(&parser)));
      return 1;
    }
  }
  if (csv_fini(&parser, on_field, on_record, &counts) != 0) {
    fprintf(stderr, "csv-parse-baseline: %s\n", csv_strerror(csv_error(&parser)));
    return 1;
  }
  csv_free(&parser);
  free(block);
  close(descriptor);
  printf("bytes %llu records %llu fields %llu field_bytes %llu peak_rss_kb %ld\n", total,
         counts.records, counts.fields, counts.bytes, peak_resident_kilobytes());
  return 0;
}
