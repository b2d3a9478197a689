/*
 * hostabi.h: conversion between the host's C library types and the
 * kernel's ABI structures, for the structures whose layout may differ.
 * Shared by the local library and the remote client.
 */
#ifndef LIBRUMP_HOSTABI_H
#define LIBRUMP_HOSTABI_H

#include <sys/stat.h>
#include <sys/statfs.h>

#include <rump/rump_kabi.h>

void hostabi_stat_from_kernel(struct stat *st, const struct kstat *k);
void hostabi_statfs_from_kernel(struct statfs *sf, const struct kstatfs *k);

#endif
