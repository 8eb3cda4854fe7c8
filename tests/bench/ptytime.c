/* cistern — time the full-screen interface through a pty: how long the
 * first screen takes, and how long each key takes to update the screen.
 *
 *   ptytime MARKER KEYS -- PROGRAM ARGS...
 *
 * Starts PROGRAM on an 80x24 pty, waits until MARKER appears in its
 * output (the first screen is complete), then sends each byte of KEYS
 * (after a "\t" the next key goes to the volumes pane, etc.) and times
 * from the write to the last byte of the screen's update (output quiet
 * for 3 ms; the quiet time is not counted). Prints:
 *   first_ms N
 *   keys N
 *   key_ms_median N
 *   key_ms_p95 N
 *   key_ms_max N
 *   keys_silent N      (keys whose screen did not change within the wait)
 *
 * From the environment: PTYTIME_SETTLE_MS, how long to let the program
 * run after the marker before the first key (its output read, not
 * timed; default 0); PTYTIME_KEY_WAIT_MS, how long a key may take to
 * change the screen before it counts as silent (default 500);
 * PTYTIME_EACH=1 also prints each key's time as "key INDEX CODE MS"
 * (MS -1: silent).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Monotonic milliseconds. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Read output until `quiet_ms` pass without any; returns the time of the
 * last byte read (or -1 when nothing came within `max_ms`). */
static double
drain(int fd, double quiet_ms, double max_ms, char *seen, size_t cap,
      size_t *len)
{
	double start = now(), last = -1;
	char buf[65536];

	for (;;) {
		double t = now();
		double wait = last < 0 ? max_ms - (t - start) : quiet_ms - (t - last);
		if (wait <= 0)
			return last;
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		int r = poll(&pf, 1, (int)(wait < 1 ? 1 : wait));
		if (r <= 0)
			continue;
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return last;
		last = now();
		if (seen != NULL) {
			size_t k = (size_t)n < cap - *len - 1 ? (size_t)n : cap - *len - 1;
			memcpy(seen + *len, buf, k);
			*len += k;
			seen[*len] = '\0';
		}
	}
}

/* qsort: doubles in order. */
static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* A number of milliseconds from the environment. */
static double
env_ms(const char *name, double dflt)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? atof(v) : dflt;
}

/* Time the first screen and each key. */
int
main(int argc, char **argv)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	const char *marker, *keys;
	int master, status;
	pid_t pid;
	double t0, first = -1;
	static char seen[1 << 22];
	size_t len = 0;

	if (argc < 5 || strcmp(argv[3], "--") != 0) {
		fprintf(stderr, "usage: ptytime MARKER KEYS -- PROGRAM ARGS...\n");
		return 2;
	}
	marker = argv[1];
	keys = argv[2];
	t0 = now();
	pid = forkpty(&master, NULL, NULL, &ws);
	if (pid < 0) {
		perror("forkpty");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[4], argv + 4);
		_exit(127);
	}
	/* the first screen: until the marker is there */
	while (first < 0) {
		struct pollfd pf = { .fd = master, .events = POLLIN };
		char buf[65536];
		if (now() - t0 > 20000)
			break;
		if (poll(&pf, 1, 100) <= 0)
			continue;
		ssize_t n = read(master, buf, sizeof(buf));
		if (n <= 0)
			break;
		if (len + (size_t)n < sizeof(seen) - 1) {
			memcpy(seen + len, buf, (size_t)n);
			len += (size_t)n;
			seen[len] = '\0';
		}
		if (strstr(seen, marker) != NULL)
			first = now() - t0;
	}
	if (first < 0) {
		fprintf(stderr, "ptytime: the marker never appeared\n");
		kill(pid, SIGKILL);
		return 1;
	}
	drain(master, 50, 200, NULL, 0, NULL);
	double settle = env_ms("PTYTIME_SETTLE_MS", 0);
	double key_wait = env_ms("PTYTIME_KEY_WAIT_MS", 500);
	bool each = getenv("PTYTIME_EACH") != NULL &&
		    strcmp(getenv("PTYTIME_EACH"), "1") == 0;
	if (settle > 0) {
		double until = now() + settle;
		for (double t = now(); t < until; t = now()) {
			struct pollfd pf = { .fd = master, .events = POLLIN };
			char buf[65536];
			if (poll(&pf, 1, (int)(until - t) + 1) > 0 &&
			    read(master, buf, sizeof(buf)) <= 0)
				break;
		}
		drain(master, 50, 200, NULL, 0, NULL);
	}
	size_t nk = strlen(keys), k = 0, silent = 0;
	double *lat = calloc(nk + 1, sizeof(*lat));
	for (size_t i = 0; i < nk; i++) {
		double t = now();
		if (write(master, &keys[i], 1) != 1)
			break;
		double last = drain(master, 3, key_wait, NULL, 0, NULL);
		if (last >= 0)
			lat[k++] = last - t;
		else
			silent++;
		if (each)
			printf("key %zu %d %.3f\n", i, (unsigned char)keys[i],
			       last >= 0 ? last - t : -1.0);
	}
	if (write(master, "q", 1) != 1) {
		/* it is killed below anyway */
	}
	drain(master, 50, 500, NULL, 0, NULL);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	qsort(lat, k, sizeof(*lat), cmp_d);
	printf("first_ms %.2f\n", first);
	if (k > 0) {
		printf("keys %zu\n", k);
		printf("key_ms_median %.3f\n", lat[k / 2]);
		printf("key_ms_p95 %.3f\n", lat[(k * 95) / 100 < k ? (k * 95) / 100 : k - 1]);
		printf("key_ms_max %.3f\n", lat[k - 1]);
	}
	printf("keys_silent %zu\n", silent);
	free(lat);
	return 0;
}
