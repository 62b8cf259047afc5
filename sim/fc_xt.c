/*
 * fc_xt.c - the Xtensa runner (sim/fc_xt.h): one qemu-xtensa process per
 * runner, talking to its guest program (sim/xt_monitor.c, embedded at build
 * time as fc_xt_monitor_elf[]) over a socket pair.
 *
 * Traps handled: the guest program is given to QEMU as a memfd
 * (/proc/self/fd/N), so no file is left behind; core dumps are off in the
 * child (QEMU user mode writes qemu_*.core files into the working directory
 * when a guest dies of a signal); the socket is written with MSG_NOSIGNAL
 * (a QEMU that died must not kill the host with SIGPIPE).
 */
#define _GNU_SOURCE
#include "fc_xt.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern const uint8_t fc_xt_monitor_elf[];
extern const uint32_t fc_xt_monitor_elf_len;

enum { CMD_MAP = 1, CMD_WRITE = 2, CMD_READ = 3, CMD_CALL = 4, CMD_EXIT = 5, CMD_CALLS = 6, CMD_RESUME = 7 };
#define XT_MON_OK 0x58540000u
#define XT_MON_HOST 0x58480000u   /* a host call, not an answer (sim/xt_monitor.c) */
#define MAX_MAPS 16u

typedef struct xt_map {
    uint32_t addr, size;
    unsigned prot;
    uint8_t *shadow;          /* host copy (what was last written or read) */
} xt_map;

struct fc_xt {
    enum fc_xt_core core;
    int memfd;                /* the guest program */
    pid_t pid;                /* 0: no process */
    int sock;                 /* our end */
    unsigned timeout_ms;
    int counting;
    char log_path[512];       /* the exec trace when counting ($TMPDIR) */
    FILE *log;
    xt_map map[MAX_MAPS];
    unsigned nmap;
    unsigned starts;
    fc_xt_host_fn host;       /* fc_xt_set_host */
    void *host_ctx;
};

const char *fc_xt_core_name(enum fc_xt_core core)
{
    return core == FC_XT_DC233C ? "dc233c" : "lx106";
}

static void drop_log(fc_xt *x)
{
    if (x->log) {
        fclose(x->log);
        x->log = NULL;
    }
    if (x->log_path[0]) {
        unlink(x->log_path);
        x->log_path[0] = 0;
    }
}

static void stop(fc_xt *x, int *signal_out)
{
    if (x->pid > 0) {
        int st = 0;
        close(x->sock);
        x->sock = -1;
        /* a live QEMU gets EOF and exits; a hung one is killed */
        if (waitpid(x->pid, &st, WNOHANG) == 0) {
            kill(x->pid, SIGKILL);
            waitpid(x->pid, &st, 0);
        }
        if (signal_out)
            *signal_out = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    }
    x->pid = 0;
    drop_log(x);
}

/* wait for a dead QEMU's status (after EOF on the socket) */
static int reap(fc_xt *x)
{
    int st = 0, sig = 0;
    if (x->pid > 0) {
        close(x->sock);
        x->sock = -1;
        if (waitpid(x->pid, &st, 0) == x->pid)
            sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    }
    x->pid = 0;
    drop_log(x);
    return sig;
}

static int send_all(fc_xt *x, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n) {
        ssize_t r = send(x->sock, b, n, MSG_NOSIGNAL);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        b += r;
        n -= (size_t)r;
    }
    return 0;
}

/* all n bytes within the time limit: 0, -1 EOF/error, -2 timeout */
static int recv_all(fc_xt *x, void *p, size_t n, int timeout_ms)
{
    uint8_t *b = p;
    while (n) {
        struct pollfd pf = {x->sock, POLLIN, 0};
        int r = poll(&pf, 1, timeout_ms);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0)
            return -2;
        if (r < 0)
            return -1;
        ssize_t k = recv(x->sock, b, n, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        b += k;
        n -= (size_t)k;
    }
    return 0;
}

static int send_req(fc_xt *x, const uint32_t req[16], const void *data, uint32_t len)
{
    uint8_t raw[64];
    for (unsigned i = 0; i < 16; i++)
        for (unsigned k = 0; k < 4; k++)
            raw[i * 4 + k] = (uint8_t)(req[i] >> (8 * k));
    if (send_all(x, raw, sizeof raw) || (len && send_all(x, data, len)))
        return -1;
    return 0;
}

static int recv_ans(fc_xt *x, uint32_t ans[4], int timeout_ms)
{
    uint8_t a[16];
    int r = recv_all(x, a, sizeof a, timeout_ms);
    if (r)
        return r;
    for (unsigned i = 0; i < 4; i++)
        ans[i] = (uint32_t)a[i * 4] | (uint32_t)a[i * 4 + 1] << 8 | (uint32_t)a[i * 4 + 2] << 16 |
                 (uint32_t)a[i * 4 + 3] << 24;
    return 0;
}

static int request(fc_xt *x, const uint32_t req[16], const void *data, uint32_t len, uint32_t ans[4],
                   int timeout_ms)
{
    if (send_req(x, req, data, len))
        return -1;
    int r = recv_ans(x, ans, timeout_ms);
    if (r)
        return r;
    return ans[0] == (XT_MON_OK | req[0]) ? 0 : -1;
}

void fc_xt_set_host(fc_xt *x, fc_xt_host_fn fn, void *ctx)
{
    x->host = fn;
    x->host_ctx = ctx;
}

/* A call's request: its answer, after serving the host calls it makes
 * (each: the host function, then RESUME with its value). */
static int call_request(fc_xt *x, const uint32_t req[16], uint32_t ans[4], int timeout_ms)
{
    if (send_req(x, req, NULL, 0))
        return -1;
    for (;;) {
        int r = recv_ans(x, ans, timeout_ms);
        if (r)
            return r;
        if (ans[0] != XT_MON_HOST)
            return ans[0] == (XT_MON_OK | req[0]) ? 0 : -1;
        uint32_t args[3] = {ans[1], ans[2], ans[3]};
        uint64_t ret = 0;
        if (!x->host || x->host(x->host_ctx, x, args, &ret) || x->pid <= 0)
            return -3;
        uint32_t res[16] = {CMD_RESUME, (uint32_t)ret, (uint32_t)(ret >> 32)};
        if (send_req(x, res, NULL, 0))
            return -1;
    }
}

static int map_one(fc_xt *x, const xt_map *m)
{
    uint32_t req[16] = {CMD_MAP, m->addr, m->size, m->prot}, ans[4];
    if (request(x, req, NULL, 0, ans, 5000) || ans[1] != m->addr)
        return -1;
    uint32_t wr[16] = {CMD_WRITE, m->addr, m->size};
    return request(x, wr, m->shadow, m->size, ans, 5000);
}

static int start(fc_xt *x, char *err, size_t errlen)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
        snprintf(err, errlen, "socketpair: %s", strerror(errno));
        return -1;
    }
    char prog[40];
    snprintf(prog, sizeof prog, "/proc/self/fd/%d", x->memfd);
    if (x->counting) {
        const char *tmp = getenv("TMPDIR");
        snprintf(x->log_path, sizeof x->log_path, "%s/fc-xt-trace.%d.XXXXXX", tmp && *tmp ? tmp : "/tmp",
                 (int)getpid());
        int fd = mkstemp(x->log_path);
        if (fd < 0) {
            snprintf(err, errlen, "mkstemp: %s", strerror(errno));
            close(sv[0]);
            close(sv[1]);
            return -1;
        }
        close(fd);
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (pid == 0) {
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        dup2(sv[1], 0);
        dup2(sv[1], 1);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
            dup2(devnull, 2);
        const char *argv[12];
        unsigned n = 0;
        argv[n++] = "qemu-xtensa";
        argv[n++] = "-cpu";
        argv[n++] = fc_xt_core_name(x->core);
        if (x->counting) {
            argv[n++] = "-singlestep";
            argv[n++] = "-d";
            argv[n++] = "exec,nochain";
            argv[n++] = "-D";
            argv[n++] = x->log_path;
        }
        argv[n++] = prog;
        argv[n] = NULL;
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(sv[1]);
    x->sock = sv[0];
    x->pid = pid;
    x->starts++;
    if (x->counting) {
        x->log = fopen(x->log_path, "r");   /* QEMU truncates, not replaces, it */
        if (!x->log) {
            snprintf(err, errlen, "trace %s: %s", x->log_path, strerror(errno));
            stop(x, NULL);
            return -1;
        }
    }
    for (unsigned i = 0; i < x->nmap; i++)
        if (map_one(x, &x->map[i])) {
            int sig = 0;
            stop(x, &sig);
            snprintf(err, errlen, "qemu-xtensa -cpu %s: mapping 0x%08x failed (signal %d)",
                     fc_xt_core_name(x->core), x->map[i].addr, sig);
            return -1;
        }
    return 0;
}

/* a probe request: is the monitor alive and answering? */
static int ping(fc_xt *x)
{
    uint32_t req[16] = {CMD_READ, FC_XT_MON_ADDR, 4}, ans[4];
    uint8_t b[4];
    if (request(x, req, NULL, 0, ans, 5000) || recv_all(x, b, 4, 5000))
        return -1;
    return b[0] == 0x7f ? -1 : 0;   /* the segment starts with literals, not an ELF header */
}

fc_xt *fc_xt_open(enum fc_xt_core core, char *err, size_t errlen)
{
    fc_xt *x = calloc(1, sizeof *x);
    if (!x) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    x->core = core;
    x->timeout_ms = 2000;
    x->sock = -1;
    x->memfd = memfd_create("fc-xt-monitor", 0);
    if (x->memfd < 0 || write(x->memfd, fc_xt_monitor_elf, fc_xt_monitor_elf_len) !=
                            (ssize_t)fc_xt_monitor_elf_len) {
        snprintf(err, errlen, "memfd: %s", strerror(errno));
        if (x->memfd >= 0)
            close(x->memfd);
        free(x);
        return NULL;
    }
    if (start(x, err, errlen)) {
        close(x->memfd);
        free(x);
        return NULL;
    }
    if (ping(x)) {
        int sig = 0;
        stop(x, &sig);
        snprintf(err, errlen, "qemu-xtensa -cpu %s does not answer (is qemu-user installed? signal %d)",
                 fc_xt_core_name(core), sig);
        close(x->memfd);
        free(x);
        return NULL;
    }
    return x;
}

void fc_xt_close(fc_xt *x)
{
    if (!x)
        return;
    if (x->pid > 0) {
        uint32_t req[16] = {CMD_EXIT};
        uint8_t raw[64] = {0};
        raw[0] = (uint8_t)req[0];
        send_all(x, raw, sizeof raw);
        reap(x);
    }
    for (unsigned i = 0; i < x->nmap; i++)
        free(x->map[i].shadow);
    close(x->memfd);
    free(x);
}

unsigned fc_xt_starts(const fc_xt *x) { return x->starts; }

void fc_xt_timeout(fc_xt *x, unsigned ms) { x->timeout_ms = ms ? ms : 1; }

static int ensure(fc_xt *x)
{
    char err[160];
    if (x->pid > 0)
        return 0;
    return start(x, err, sizeof err) ? FC_XT_EIO : 0;
}

int fc_xt_map(fc_xt *x, uint32_t addr, uint32_t size, unsigned prot)
{
    if (x->nmap >= MAX_MAPS || (addr & 0xfffu) || (size & 0xfffu) || size == 0 ||
        (uint64_t)addr + size > 0x100000000ull || (prot & ~7u) || !(prot & FC_XT_W))
        return FC_XT_ESETUP;
    if (addr < FC_XT_MON_ADDR + 0x1000u && addr + size > FC_XT_MON_ADDR)
        return FC_XT_ESETUP;
    for (unsigned i = 0; i < x->nmap; i++)
        if (addr < x->map[i].addr + x->map[i].size && x->map[i].addr < addr + size)
            return FC_XT_ESETUP;
    if (ensure(x))
        return FC_XT_EIO;
    xt_map *m = &x->map[x->nmap];
    m->addr = addr;
    m->size = size;
    m->prot = prot;
    m->shadow = calloc(1, size);
    if (!m->shadow)
        return FC_XT_ESETUP;
    uint32_t req[16] = {CMD_MAP, addr, size, prot}, ans[4];
    if (request(x, req, NULL, 0, ans, 5000) || ans[1] != addr) {
        free(m->shadow);
        m->shadow = NULL;
        return FC_XT_EIO;
    }
    x->nmap++;
    return FC_XT_OK;
}

static xt_map *find(fc_xt *x, uint32_t addr, uint32_t len)
{
    for (unsigned i = 0; i < x->nmap; i++)
        if (addr >= x->map[i].addr && (uint64_t)addr + len <= (uint64_t)x->map[i].addr + x->map[i].size)
            return &x->map[i];
    return NULL;
}

int fc_xt_write(fc_xt *x, uint32_t addr, const void *src, uint32_t len)
{
    xt_map *m = find(x, addr, len);
    if (!m)
        return FC_XT_ESETUP;
    memcpy(m->shadow + (addr - m->addr), src, len);
    if (ensure(x))
        return FC_XT_EIO;
    uint32_t req[16] = {CMD_WRITE, addr, len}, ans[4];
    if (request(x, req, src, len, ans, 5000)) {
        reap(x);
        return FC_XT_EIO;
    }
    return FC_XT_OK;
}

int fc_xt_read(fc_xt *x, uint32_t addr, void *dst, uint32_t len)
{
    xt_map *m = find(x, addr, len);
    if (!m)
        return FC_XT_ESETUP;
    if (ensure(x))
        return FC_XT_EIO;
    uint32_t req[16] = {CMD_READ, addr, len}, ans[4];
    if (request(x, req, NULL, 0, ans, 5000) || recv_all(x, dst, len, 5000)) {
        reap(x);
        return FC_XT_EIO;
    }
    memcpy(m->shadow + (addr - m->addr), dst, len);
    return FC_XT_OK;
}

int fc_xt_count(fc_xt *x, int on)
{
    if (!!on == x->counting)
        return FC_XT_OK;
    stop(x, NULL);
    x->counting = !!on;
    return ensure(x);
}

/* executed instructions outside the monitor since the last count: the
 * trace lines "Trace N: host [cs_base/pc/flags/...] ..." */
static uint64_t count_trace(fc_xt *x)
{
    char line[256];
    uint64_t n = 0;
    if (!x->log)
        return 0;
    clearerr(x->log);
    while (fgets(line, sizeof line, x->log)) {
        const char *p = strchr(line, '[');
        if (strncmp(line, "Trace ", 6) || !p)
            continue;
        p = strchr(p, '/');
        if (!p)
            continue;
        uint32_t pc = (uint32_t)strtoul(p + 1, NULL, 16);
        if (pc < FC_XT_MON_ADDR || pc >= FC_XT_MON_ADDR + 0x1000u)
            n++;
    }
    return n;
}

static int do_call(fc_xt *x, const uint32_t req[16], uint32_t ans[4], fc_xt_stats *stats)
{
    if (ensure(x))
        return FC_XT_EIO;
    if (x->counting)
        (void)count_trace(x);   /* drop what came before */
    int r = call_request(x, req, ans, (int)x->timeout_ms);
    if (r == -3) {   /* no host function, or it failed: the guest is left waiting */
        stop(x, NULL);
        return FC_XT_EIO;
    }
    if (x->counting && r == 0) {
        stats->insns = count_trace(x);
        stats->counted = 1;
    }
    if (r == -2) {
        stop(x, NULL);
        return FC_XT_ETIMEOUT;
    }
    if (r) {
        stats->signal = reap(x);
        return stats->signal ? FC_XT_EFAULT : FC_XT_EIO;
    }
    return FC_XT_OK;
}

int fc_xt_call(fc_xt *x, uint32_t fn, enum fc_xt_abi abi, const uint32_t *args, unsigned nargs,
               uint64_t *ret, fc_xt_stats *stats)
{
    fc_xt_stats dummy;
    if (!stats)
        stats = &dummy;
    memset(stats, 0, sizeof *stats);
    if (nargs > 6 || (abi != FC_XT_CALL0 && abi != FC_XT_WINDOWED) ||
        (abi == FC_XT_WINDOWED && x->core != FC_XT_DC233C))
        return FC_XT_ESETUP;
    uint32_t req[16] = {CMD_CALL, fn, (uint32_t)abi}, ans[4];
    for (unsigned i = 0; i < nargs; i++)
        req[4 + i] = args[i];
    int r = do_call(x, req, ans, stats);
    if (r == FC_XT_OK && ret)
        *ret = (uint64_t)ans[2] << 32 | ans[1];
    return r;
}

int fc_xt_call_table(fc_xt *x, uint32_t fn, enum fc_xt_abi abi, uint32_t table, uint32_t n,
                     fc_xt_stats *stats)
{
    fc_xt_stats dummy;
    if (!stats)
        stats = &dummy;
    memset(stats, 0, sizeof *stats);
    if ((abi != FC_XT_CALL0 && abi != FC_XT_WINDOWED) || (abi == FC_XT_WINDOWED && x->core != FC_XT_DC233C) ||
        (table & 3u) || n > (1u << 24) || (n && !find(x, table, n * 32u)))
        return FC_XT_ESETUP;
    uint32_t req[16] = {CMD_CALLS, fn, (uint32_t)abi, table, n}, ans[4];
    return do_call(x, req, ans, stats);
}
