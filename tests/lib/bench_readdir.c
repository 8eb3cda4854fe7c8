/* cistern — the baseline of the refresh benchmark (tests/bench/file.sh):
 * the least any directory scan that reads headers must do, per file
 * readdir + fstatat + open + pread of 512 bytes + close, nothing kept.
 * Prints the number of files and the bytes read. Not a test. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	unsigned char buf[512];
	unsigned long long files = 0, bytes = 0;
	struct dirent *de;
	DIR *d;

	if (argc != 2) {
		fprintf(stderr, "usage: bench_readdir DIR\n");
		return 2;
	}
	d = opendir(argv[1]);
	if (d == NULL) {
		perror(argv[1]);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		ssize_t r;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		r = pread(fd, buf, sizeof(buf), 0);
		if (r > 0)
			bytes += (unsigned long long)r;
		close(fd);
		files++;
	}
	closedir(d);
	printf("%llu files, %llu bytes read\n", files, bytes);
	return 0;
}
