/*
 * hyp_file.c: host files that back the kernel's block devices.
 * The handle is the host file descriptor.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hyp.h"

int
hyp_file_open(const char *path, int writable, int *handle, uint64_t *size,
    int *rdonly)
{
	struct stat st;
	int fd = -1;

	*rdonly = 0;
	if (writable)
		fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && (!writable || errno == EACCES || errno == EROFS ||
	    errno == EPERM)) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		*rdonly = 1;
	}
	if (fd < 0)
		return errno;
	if (fstat(fd, &st) != 0) {
		int e = errno;

		close(fd);
		return e;
	}
	if (S_ISBLK(st.st_mode)) {
		off_t end = lseek(fd, 0, SEEK_END);

		*size = end > 0 ? (uint64_t)end : 0;
	} else
		*size = (uint64_t)st.st_size;
	*handle = fd;
	return 0;
}

int
hyp_file_pread(int handle, void *buf, size_t n, uint64_t off, size_t *done)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(handle, (char *)buf + got, n - got,
		    (off_t)(off + got));

		if (r < 0) {
			if (errno == EINTR)
				continue;
			*done = got;
			return errno;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	*done = got;
	return 0;
}

int
hyp_file_pwrite(int handle, const void *buf, size_t n, uint64_t off,
    size_t *done)
{
	size_t put = 0;

	while (put < n) {
		ssize_t r = pwrite(handle, (const char *)buf + put, n - put,
		    (off_t)(off + put));

		if (r < 0) {
			if (errno == EINTR)
				continue;
			*done = put;
			return errno;
		}
		put += (size_t)r;
	}
	*done = put;
	return 0;
}

int
hyp_file_fsync(int handle)
{
	return fsync(handle) == 0 ? 0 : errno;
}

int
hyp_file_close(int handle)
{
	return close(handle) == 0 ? 0 : errno;
}
