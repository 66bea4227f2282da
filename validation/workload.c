/*
 * tmemsim validation workload: runs inside the guest (static, no libc beyond
 * what gcc -static links) and on the host (to dump the page corpus).
 *
 *   workload run SEED OP...     run a workload (ops below), printing the
 *                               guest's counters at every `mark`
 *   workload dump SEED GEN FIRST COUNT
 *                               write pages FIRST..FIRST+COUNT-1 of generation
 *                               GEN to stdout (4096 bytes each): the corpus
 *   workload classes SEED GEN FIRST COUNT
 *                               print each page's class (z, s, t, r), one a line
 *
 * Ops (one argv word each, fields separated by ':'):
 *   anon:N               mmap N anonymous pages (one region; pages 0..N-1)
 *   write:A:B:G          write pages A..B-1 with generation G's contents
 *   read:A:B             read one word of each page A..B-1, in order
 *   rread:A:B:N:S        read one word of N pages drawn from A..B-1 by
 *                        mulberry32(S) (next() % (B-A)), in draw order
 *   fread:DEV:N          read pages 0..N-1 of DEV with read(2), 64 pages a call
 *   hot:A:B:DEV:N:K      read DEV's pages 0..N-1 64 pages a call; after every
 *                        K calls read one word of each page A..B-1 in order
 *   mark:NAME            print "@@mark NAME" then every counter (see mark()): zswap's
 *                        debugfs, /proc/vmstat, the CPU, /proc/meminfo, each zone's
 *                        free pages
 *   lock                 mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT): the
 *                        workload's own pages (text, data, stack, heap, stdio
 *                        and read buffers) are never reclaimed; the region of a
 *                        later `anon` op is munlocked at once, so only the
 *                        region's pages (the pages the replay models) can be
 *                        swapped
 *
 * Page contents (the same generator is src/content/classes/vmix.ts; a test compares
 * them byte for byte): key = pagekey(seed, gen, page); a mulberry32 stream
 * seeded with key draws r = next() % 100:
 *   r <  10  zero page
 *   r <  20  same-filled: one 64-bit word (lo = next(), hi = next()) repeated
 *   r <  85  text-like: words from a vocabulary of v = 8 + next() % 57 of the
 *            64 words below, each word then ' ', a '\n' after every 12th word,
 *            and with next() % 4 == 0 a decimal number next() % 100000 and ' '
 *            before the word; cut at 4096 bytes
 *   else     random: 1024 words next() (little-endian)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <dirent.h>

#define PAGE 4096

static uint32_t next(uint32_t *s)
{
	uint32_t z = (*s += 0x6D2B79F5u);
	z = (z ^ (z >> 15)) * (z | 1u);
	z ^= z + (z ^ (z >> 7)) * (z | 61u);
	return z ^ (z >> 14);
}

static uint32_t fmix32(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85EBCA6Bu;
	h ^= h >> 13;
	h *= 0xC2B2AE35u;
	h ^= h >> 16;
	return h;
}

static uint32_t pagekey(uint32_t seed, uint32_t gen, uint32_t page)
{
	return fmix32(fmix32(seed * 0x9E3779B1u ^ gen) ^ page * 0x85EBCA77u);
}

static const char *const VOCAB[64] = {
	"the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on", "not",
	"page", "memory", "swap", "kernel", "cache", "store", "load", "pool", "compress", "zswap", "frontswap", "entry",
	"error", "info", "debug", "warn", "request", "response", "user", "session", "value", "index", "buffer", "file",
	"process", "thread", "queue", "timer", "device", "driver", "block", "sector", "inode", "dentry", "mount",
	"network", "packet", "socket", "client", "server", "config", "option", "status", "result", "report", "table",
	"column", "record",
};

/* Returns the class letter: z zero, s same-filled, t text, r random. */
static char fill_page(uint32_t key, unsigned char *dst)
{
	uint32_t s = key;
	uint32_t r = next(&s) % 100;
	if (r < 10) {
		memset(dst, 0, PAGE);
		return 'z';
	}
	if (r < 20) {
		uint32_t lo = next(&s), hi = next(&s);
		for (int i = 0; i < PAGE; i += 8) {
			for (int b = 0; b < 4; b++) dst[i + b] = (unsigned char)(lo >> (8 * b));
			for (int b = 0; b < 4; b++) dst[i + 4 + b] = (unsigned char)(hi >> (8 * b));
		}
		return 's';
	}
	if (r < 85) {
		uint32_t v = 8 + next(&s) % 57;
		int p = 0, words = 0;
		char num[16];
		while (p < PAGE) {
			if (next(&s) % 4 == 0) {
				int n = snprintf(num, sizeof num, "%u ", next(&s) % 100000);
				for (int i = 0; i < n && p < PAGE; i++) dst[p++] = (unsigned char)num[i];
			}
			const char *w = VOCAB[next(&s) % v];
			for (; *w && p < PAGE; w++) dst[p++] = (unsigned char)*w;
			if (p < PAGE) dst[p++] = ' ';
			if (++words % 12 == 0 && p < PAGE) dst[p++] = '\n';
		}
		return 't';
	}
	for (int i = 0; i < PAGE; i += 4) {
		uint32_t w = next(&s);
		for (int b = 0; b < 4; b++) dst[i + b] = (unsigned char)(w >> (8 * b));
	}
	return 'r';
}

static void cat(const char *path, const char *prefix)
{
	char buf[8192];
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("@@missing %s\n", path);
		return;
	}
	while (fgets(buf, sizeof buf, f)) printf("%s%s", prefix, buf);
	fclose(f);
}

/*
 * The guest's CPU time so far, in USER_HZ ticks: the "cpu" line of /proc/stat
 * (user nice system idle iowait irq softirq steal), context switches, and
 * /proc/uptime's seconds. A phase's system time is the CPU its reclaim took.
 */
static void cpu_time(void)
{
	char line[512];
	FILE *f = fopen("/proc/stat", "r");
	if (!f) {
		printf("@@missing /proc/stat\n");
		return;
	}
	while (fgets(line, sizeof line, f)) {
		unsigned long long v[8];
		if (!strncmp(line, "cpu ", 4) && sscanf(line + 4, "%llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) == 8)
			printf("@@stat user %llu\n@@stat nice %llu\n@@stat system %llu\n@@stat idle %llu\n@@stat iowait %llu\n"
			       "@@stat irq %llu\n@@stat softirq %llu\n@@stat steal %llu\n", v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
		else if (!strncmp(line, "ctxt ", 5))
			printf("@@stat ctxt %s", line + 5);
	}
	fclose(f);
	f = fopen("/proc/uptime", "r");
	if (f && fgets(line, sizeof line, f)) printf("@@stat uptime_s %.2f\n", strtod(line, NULL));
	if (f) fclose(f);
}

/*
 * With TMEMSIM_TRACE_MARKS set (record.mjs --sched-trace only), each mark is also
 * written to ftrace's trace_marker, so the trace can be cut into phases. Unset (every
 * normal recording), nothing is opened or written.
 */
static void trace_mark(const char *name)
{
	static int fd = -2;
	if (fd == -2) fd = getenv("TMEMSIM_TRACE_MARKS") ? open("/sys/kernel/debug/tracing/trace_marker", O_WRONLY) : -1;
	if (fd >= 0) {
		char b[256];
		int n = snprintf(b, sizeof b, "tmemsim-mark %s\n", name);
		if (write(fd, b, n) != n) printf("@@trace-warn trace_marker write failed\n");
	}
}

/*
 * Each zone's free pages and its per-CPU page list ("@@zone NAME free N",
 * "@@zone NAME pcp_count N", "pcp_high N", "pcp_batch N": /proc/zoneinfo's
 * "pages free" and the pagesets' "count", "high", "batch" under each "Node 0,
 * zone NAME"; one CPU), since 2026-12-04. A page on the list is not in
 * NR_FREE_PAGES, which "pages free" and the watermark checks read. Since
 * 2026-12-05 also the zone's watermark boost ("@@zone NAME boost N": raised by
 * migratetype fallbacks, steal_suitable_fallback → boost_watermark; zoneinfo's
 * min/low/high include it) and its pageblocks by migratetype ("blocks_unmovable",
 * "blocks_movable", "blocks_reclaimable", from /proc/pagetypeinfo).
 */
static void zone_free(void)
{
	char line[512], zone[64] = "";
	FILE *f = fopen("/proc/zoneinfo", "r");
	if (!f) {
		printf("@@missing /proc/zoneinfo\n");
		return;
	}
	while (fgets(line, sizeof line, f)) {
		unsigned long n;
		if (sscanf(line, "Node %*d, zone %63s", zone) == 1) continue;
		if (!zone[0]) continue;
		if (sscanf(line, " pages free %lu", &n) == 1) printf("@@zone %s free %lu\n", zone, n);
		else if (sscanf(line, " count: %lu", &n) == 1) printf("@@zone %s pcp_count %lu\n", zone, n);
		else if (sscanf(line, " high: %lu", &n) == 1) printf("@@zone %s pcp_high %lu\n", zone, n);
		else if (sscanf(line, " batch: %lu", &n) == 1) printf("@@zone %s pcp_batch %lu\n", zone, n);
		else if (sscanf(line, " boost %lu", &n) == 1) printf("@@zone %s boost %lu\n", zone, n);
	}
	fclose(f);
	/*
	 * /proc/pagetypeinfo: the free blocks of each order by migratetype ("free_movable_o3 N":
	 * N free blocks of order 3 on the movable lists; unmovable, movable and reclaimable only;
	 * since 2026-12-06) and the "Number of blocks type" table: each zone's pageblocks by
	 * migratetype.
	 */
	f = fopen("/proc/pagetypeinfo", "r");
	if (!f) return;
	int blocks = 0;
	while (fgets(line, sizeof line, f)) {
		unsigned long u, m, r;
		unsigned long o[11];
		char type[32];
		if (!blocks && sscanf(line, "Node %*d, zone %63[^,], type %31s %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu", zone, type,
				      &o[0], &o[1], &o[2], &o[3], &o[4], &o[5], &o[6], &o[7], &o[8], &o[9], &o[10]) == 13) {
			const char *t = !strcmp(type, "Unmovable") ? "unmovable" : !strcmp(type, "Movable") ? "movable" :
					!strcmp(type, "Reclaimable") ? "reclaimable" : NULL;
			for (int k = 0; t && k < 11; k++) printf("@@zone %s free_%s_o%d %lu\n", zone, t, k, o[k]);
			continue;
		}
		if (strncmp(line, "Number of blocks type", 21) == 0) { blocks = 1; continue; }
		if (blocks && sscanf(line, "Node %*d, zone %63s %lu %lu %lu", zone, &u, &m, &r) == 4)
			printf("@@zone %s blocks_unmovable %lu\n@@zone %s blocks_movable %lu\n@@zone %s blocks_reclaimable %lu\n",
			       zone, u, zone, m, zone, r);
	}
	fclose(f);
}

static void mark(const char *name)
{
	trace_mark(name);
	printf("@@mark %s\n", name);
	DIR *d = opendir("/sys/kernel/debug/zswap");
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.') continue;
			char path[512], prefix[300];
			snprintf(path, sizeof path, "/sys/kernel/debug/zswap/%s", e->d_name);
			snprintf(prefix, sizeof prefix, "@@zswap %s ", e->d_name);
			cat(path, prefix);
		}
		closedir(d);
	}
	cat("/proc/vmstat", "@@vmstat ");
	cpu_time();
	cat("/proc/meminfo", "@@meminfo ");
	zone_free();
	printf("@@endmark %s\n", name);
	fflush(stdout);
}

static unsigned long field(char **p)
{
	char *end;
	unsigned long v = strtoul(*p, &end, 10);
	if (end == *p) {
		fprintf(stderr, "workload: a number expected at '%s'\n", *p);
		exit(2);
	}
	*p = *end == ':' ? end + 1 : end;
	return v;
}

static char *word(char **p)
{
	char *w = *p, *c = strchr(w, ':');
	if (c) {
		*c = 0;
		*p = c + 1;
	} else
		*p = w + strlen(w);
	return w;
}

static volatile uint64_t sink;

static void read_dev(int fd, unsigned long first, unsigned long calls, unsigned char *buf)
{
	for (unsigned long c = 0; c < calls; c++) {
		ssize_t n = pread(fd, buf, 64 * PAGE, (off_t)(first + c * 64) * PAGE);
		if (n != 64 * PAGE) {
			fprintf(stderr, "workload: short read (%zd) at page %lu\n", n, first + c * 64);
			exit(1);
		}
		sink += buf[0];
	}
}

static int run(uint32_t seed, int argc, char **argv)
{
	unsigned char *mem = NULL;
	unsigned long npages = 0;
	static unsigned char buf[64 * PAGE];
	int locked = 0;
	for (int i = 0; i < argc; i++) {
		char *p = argv[i];
		char *op = word(&p);
		if (!strcmp(op, "anon")) {
			npages = field(&p);
			mem = mmap(NULL, npages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (mem == MAP_FAILED) {
				perror("mmap");
				return 1;
			}
			if (locked && munlock(mem, npages * PAGE)) {
				perror("munlock");
				return 1;
			}
		} else if (!strcmp(op, "write")) {
			unsigned long a = field(&p), b = field(&p), g = field(&p);
			for (unsigned long pg = a; pg < b && pg < npages; pg++) fill_page(pagekey(seed, g, pg), mem + pg * PAGE);
		} else if (!strcmp(op, "read")) {
			unsigned long a = field(&p), b = field(&p);
			for (unsigned long pg = a; pg < b && pg < npages; pg++) sink += *(volatile uint64_t *)(mem + pg * PAGE);
		} else if (!strcmp(op, "rread")) {
			unsigned long a = field(&p), b = field(&p), n = field(&p);
			uint32_t s = (uint32_t)field(&p);
			for (unsigned long k = 0; k < n; k++) {
				unsigned long pg = a + next(&s) % (b - a);
				sink += *(volatile uint64_t *)(mem + pg * PAGE);
			}
		} else if (!strcmp(op, "fread")) {
			char *dev = word(&p);
			unsigned long n = field(&p);
			int fd = open(dev, O_RDONLY);
			if (fd < 0) {
				perror(dev);
				return 1;
			}
			read_dev(fd, 0, n / 64, buf);
			close(fd);
		} else if (!strcmp(op, "hot")) {
			unsigned long a = field(&p), b = field(&p);
			char *dev = word(&p);
			unsigned long n = field(&p), k = field(&p);
			int fd = open(dev, O_RDONLY);
			if (fd < 0) {
				perror(dev);
				return 1;
			}
			for (unsigned long c = 0; c < n / 64; c++) {
				read_dev(fd, c * 64, 1, buf);
				if ((c + 1) % k == 0)
					for (unsigned long pg = a; pg < b && pg < npages; pg++) sink += *(volatile uint64_t *)(mem + pg * PAGE);
			}
			close(fd);
		} else if (!strcmp(op, "mark")) {
			mark(word(&p));
		} else if (!strcmp(op, "lock")) {
			if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) {
				perror("mlockall");
				return 1;
			}
			locked = 1;
		} else {
			fprintf(stderr, "workload: unknown op '%s'\n", op);
			return 2;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "run")) return run((uint32_t)strtoul(argv[2], NULL, 10), argc - 3, argv + 3);
	if (argc == 6 && (!strcmp(argv[1], "dump") || !strcmp(argv[1], "classes"))) {
		uint32_t seed = (uint32_t)strtoul(argv[2], NULL, 10), gen = (uint32_t)strtoul(argv[3], NULL, 10);
		unsigned long first = strtoul(argv[4], NULL, 10), count = strtoul(argv[5], NULL, 10);
		static unsigned char page[PAGE];
		for (unsigned long pg = first; pg < first + count; pg++) {
			char c = fill_page(pagekey(seed, gen, (uint32_t)pg), page);
			if (argv[1][0] == 'd') {
				if (fwrite(page, 1, PAGE, stdout) != PAGE) return 1;
			} else
				printf("%c\n", c);
		}
		return 0;
	}
	fprintf(stderr, "usage: workload run SEED OP... | workload dump|classes SEED GEN FIRST COUNT\n");
	return 2;
}
