/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version shims, force-included before every source file so that the
 * logic is written against one (the newest) API.  Each shim names the
 * version that changed the API.
 */
#ifndef _IPMP_COMPAT_H
#define _IPMP_COMPAT_H

#include <linux/version.h>

/* 6.2: genetlink pre_doit/post_doit take the split-ops representation. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define genl_split_ops genl_ops
#endif

#endif /* _IPMP_COMPAT_H */
