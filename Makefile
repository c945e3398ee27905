# SPDX-License-Identifier: GPL-2.0
#
# make              build kernel/ipmp.ko and the tools
# make check        run the selftests in a QEMU guest (T=NAME for one test)
# make demo         show a group at work in a QEMU guest
# make install      install the module (+ depmod) and the tools

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)

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

install: all
	$(MAKE) -C $(KDIR) M=$(PWD) INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=extra modules_install
	test -n "$(DESTDIR)" || depmod -a $(KVER)
	$(MAKE) -C tools install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

check:
	selftests/check $(if $(T),-t $(T))

demo:
	selftests/check --demo

style:
	$(KDIR)/scripts/checkpatch.pl --no-tree --terse --show-types \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f kernel/*.c kernel/*.h

.PHONY: all module tools clean install check demo style
