# SPDX-License-Identifier: GPL-2.0
#
# make              build kernel/ipmp.ko and the tools
# make check        run the selftests in a QEMU guest (T=NAME for one test)
# make check-debug  the same under a debug kernel (KASAN, lockdep, kmemleak,
#                   UBSAN), built once from linux-source-6.1 and cached
# make demo         show a group at work in a QEMU guest
# make install      install the module (+ depmod), the tools and the man pages
#                   into DESTDIR (default none) and PREFIX (default /usr/local;
#                   the module goes to /lib/modules/KVER/extra either way)
# make uninstall    remove what make install installed (+ depmod); with a
#                   DESTDIR, also the directories left empty under it
# make dist         the source tarball ipmp-VERSION.tar.gz, from git
# make compat-check compile compat.h's branches for newer kernels against
#                   the shapes of their declarations (kernel/compat-check)

# The version, in one place; dkms.conf and debian/changelog must agree
# (selftests/check's host checks compare them).
VERSION := $(shell cat $(CURDIR)/VERSION)

# The running kernel's build tree when it exists, else the newest installed one.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		    $(lastword $(sort $(wildcard /lib/modules/*/build))))
KVER ?= $(notdir $(patsubst %/build,%,$(KDIR)))

PREFIX ?= /usr/local
DESTDIR ?=
PWD := $(CURDIR)

all: module tools

module:
	@test -n "$(KDIR)" -a -d "$(KDIR)" || { echo "No kernel build tree: install linux-headers-$$(uname -r) (or linux-headers-amd64) or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(PWD) modules

tools:
	$(MAKE) -C tools

clean:
	-$(MAKE) -C $(KDIR) M=$(PWD) clean 2>/dev/null
	$(MAKE) -C tools clean
	rm -rf .cache/build

# Kbuild's modules_install keeps the kernel/ of the build tree.
MODDIR := $(DESTDIR)/lib/modules/$(KVER)/extra/kernel
# Signed only when the kernel build tree has the signing key.
NOSIGN := $(if $(wildcard $(KDIR)/certs/signing_key.pem),,CONFIG_MODULE_SIG_ALL=)

# depmod for the running system only: a DESTDIR is someone else's tree.
install: all
	$(MAKE) -C $(KDIR) M=$(PWD) INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=extra DEPMOD=true $(NOSIGN) modules_install
	test -n "$(DESTDIR)" || depmod -a $(KVER)
	$(MAKE) -C tools install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	$(MAKE) -C Documentation/man install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

uninstall:
	rm -f $(MODDIR)/ipmp.ko $(MODDIR)/ipmp.ko.gz $(MODDIR)/ipmp.ko.xz $(MODDIR)/ipmp.ko.zst
	-rmdir --ignore-fail-on-non-empty $(MODDIR) $(MODDIR)/.. 2>/dev/null
	test -n "$(DESTDIR)" || depmod -a $(KVER)
	$(MAKE) -C tools uninstall DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	$(MAKE) -C Documentation/man uninstall DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	test -z "$(DESTDIR)" || ! test -d "$(DESTDIR)" || \
		find "$(DESTDIR)" -mindepth 1 -depth -type d -empty -delete

dist:
	git archive --prefix=ipmp-$(VERSION)/ -o ipmp-$(VERSION).tar.gz HEAD

check:
	selftests/check $(if $(T),-t $(T))

check-debug:
	selftests/check --debug $(if $(T),-t $(T))

demo:
	selftests/check --demo

# The benchmarks (bench/run), each in a QEMU guest; B="outage" runs one.
bench:
	bench/run $(B)

# checkpatch.pl comes from Debian's linux-source-6.1, extracted once.
CHECKPATCH := .cache/lsrc/linux-source-6.1/scripts/checkpatch.pl
$(CHECKPATCH):
	@test -f /usr/src/linux-source-6.1.tar.xz || { echo "style needs linux-source-6.1 (apt-get install linux-source-6.1)" >&2; exit 1; }
	mkdir -p .cache/lsrc
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C .cache/lsrc \
		linux-source-6.1/scripts/checkpatch.pl linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
	touch $@

# compat.h is the one place allowed to test kernel versions.
style: $(CHECKPATCH)
	perl $(CHECKPATCH) --no-tree --terse --show-types --strict \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f \
		$(filter-out kernel/compat.h kernel/%.mod.c,$(wildcard kernel/*.c kernel/*.h))

# compat.h's branches for newer kernels, against the declarations' shapes.
compat-check:
	kernel/compat-check/run.sh

# The module with every warning and sparse: what must stay clean.
lint:
	$(MAKE) -C $(KDIR) M=$(PWD) W=1 C=2 modules

.PHONY: all module tools clean install uninstall dist check check-debug demo style lint bench compat-check
