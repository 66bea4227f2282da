/*
 * The bench's C reference: a plain LRU cache of objects (a hash table with
 * chaining and a doubly linked recency list, the structure of libCacheSim's
 * LRU) replaying a libCacheSim oracleGeneral trace (24-byte little-endian
 * records: u32 time, u64 object id, u32 size, i64 next access). Every object
 * counts as one entry, as in libCacheSim with --ignore-obj-size.
 *
 *   cc -O2 -o lru lru.c && ./lru TRACE CAPACITY
 *
 * Prints: requests hits seconds (the replay only, the file read excluded).
 * Written for tmemsim's bench (bench/run.js); not part of the package.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct node {
  uint64_t id;
  struct node *hnext, *prev, *next;
} node;

static node **table;
static uint64_t mask;
static node *head, *tail; /* head: most recent */

static uint64_t hash(uint64_t x) {
  x ^= x >> 33; x *= 0xff51afd7ed558ccdULL; x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53ULL; x ^= x >> 33;
  return x;
}

static void unlink_node(node *n) {
  if (n->prev) n->prev->next = n->next; else head = n->next;
  if (n->next) n->next->prev = n->prev; else tail = n->prev;
}

static void push_front(node *n) {
  n->prev = NULL; n->next = head;
  if (head) head->prev = n; else tail = n;
  head = n;
}

static void hremove(node *n) {
  node **p = &table[hash(n->id) & mask];
  while (*p != n) p = &(*p)->hnext;
  *p = n->hnext;
}

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: lru TRACE CAPACITY\n"); return 2; }
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 2; }
  uint64_t cap = strtoull(argv[2], NULL, 10);
  fseek(f, 0, SEEK_END);
  long bytes = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint64_t n = (uint64_t)bytes / 24;
  unsigned char *buf = malloc((size_t)n * 24 + 1);
  if (!buf || fread(buf, 24, n, f) != n) { fprintf(stderr, "read failed\n"); return 2; }
  fclose(f);
  uint64_t buckets = 1;
  while (buckets < 2 * cap) buckets <<= 1;
  mask = buckets - 1;
  table = calloc(buckets, sizeof(node *));
  node *pool = malloc(cap * sizeof(node));
  uint64_t used = 0, hits = 0;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (uint64_t i = 0; i < n; i++) {
    uint64_t id;
    memcpy(&id, buf + i * 24 + 4, 8);
    node *e = table[hash(id) & mask];
    while (e && e->id != id) e = e->hnext;
    if (e) {
      hits++;
      unlink_node(e);
      push_front(e);
      continue;
    }
    if (used < cap) e = &pool[used++];
    else { e = tail; unlink_node(e); hremove(e); }
    e->id = id;
    uint64_t b = hash(id) & mask;
    e->hnext = table[b];
    table[b] = e;
    push_front(e);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("%llu %llu %.6f\n", (unsigned long long)n, (unsigned long long)hits,
         (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
  return 0;
}
