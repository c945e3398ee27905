/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * IPMP (IP Network Multipathing) generic netlink interface.
 *
 * This header is the single source of truth for the ABI between ipmp.ko and
 * its tools; Documentation/netlink/specs/ipmp.yaml describes the same family.
 *
 * Family "ipmp", version 1.  Every message carries at most one object, as a
 * nested attribute: IPMP_A_GROUP for a group, IPMP_A_MEMBER for a member.
 * Groups are named by the ifindex of their netdevice (IPMP_A_GROUP_IFINDEX),
 * members by their own ifindex (IPMP_A_MEMBER_IFINDEX); ifindexes are
 * resolved in the network namespace of the requesting socket.
 *
 * IPMP_CMD_GROUP_GET   do: [GROUP]{IFINDEX}  -> [GROUP]{...}
 *                      dump: -> one [GROUP]{...} per group in the netns
 * IPMP_CMD_GROUP_NEW   [GROUP]{IFNAME, NAME?, FDT?, FAILBACK?}
 *                      creates the group netdevice (admin down, like
 *                      "ip link add IFNAME type ipmp"); replies with
 *                      [GROUP]{...} of the new group.
 * IPMP_CMD_GROUP_DEL   [GROUP]{IFINDEX}
 * IPMP_CMD_GROUP_SET   [GROUP]{IFINDEX, NAME?, FDT?, FAILBACK?}
 * IPMP_CMD_MEMBER_GET  do: [MEMBER]{IFINDEX} -> [MEMBER]{...}
 *                      dump: optional [MEMBER]{GROUP_IFINDEX} filter ->
 *                      one [MEMBER]{...} per member
 * IPMP_CMD_MEMBER_ADD  [MEMBER]{IFINDEX, GROUP_IFINDEX, STANDBY?}
 * IPMP_CMD_MEMBER_DEL  [MEMBER]{IFINDEX} or, for a member whose device
 *                      went away (state REMOVED), [MEMBER]{IFNAME,
 *                      GROUP_IFINDEX}: the group forgets its place
 * IPMP_CMD_MEMBER_SET  [MEMBER]{IFINDEX, STANDBY?, OFFLINE?}
 *                      OFFLINE 1 is refused for the last usable member of
 *                      a group (minimum redundancy 1).
 * IPMP_CMD_TESTADDR_ADD [MEMBER]{IFINDEX, TESTADDR, TESTADDR_PREFIXLEN?}
 *                      gives the member a test address: TESTADDR of 4
 *                      bytes an IPv4 one, of 16 bytes an IPv6 link-local
 *                      one (one per member and family; replaces the
 *                      previous one).  Without a configured IPv6 test
 *                      address, a member that has an IPv4 one probes over
 *                      IPv6 too, from the link-local address derived from
 *                      its MAC, while the group device has IPv6.  Test addresses
 *                      belong to the module: the IP stack does not see
 *                      them; the module answers ARP/NS and ICMP/ICMPv6
 *                      echo for them on their member only.  Refused when
 *                      another member of the group or a data address has it.
 * IPMP_CMD_TESTADDR_DEL [MEMBER]{IFINDEX, TESTADDR}
 * IPMP_CMD_TARGET_ADD  [GROUP]{IFINDEX, TARGET}
 * IPMP_CMD_TARGET_DEL  [GROUP]{IFINDEX, TARGET}
 *                      static probe targets of the group, TARGET of 4
 *                      (IPv4) or 16 (IPv6) bytes, at most IPMP_TARGETS_MAX
 *                      per family.  Without static targets the group
 *                      finds its own (enum ipmp_target_mode), for each
 *                      family.  Every member with a test address sends
 *                      ICMP (ICMPv6) echo requests from it to the targets
 *                      of its family in turn, every FDT/7 (times a random factor in
 *                      [0.5, 1]); IPMP_PROBE_FAILS consecutive losses fail
 *                      the member, IPMP_PROBE_REPAIRS consecutive replies
 *                      repair it.  A member probing in both families is
 *                      failed when both fail, repaired when either is; a
 *                      family without targets has no say.
 * IPMP_CMD_ADDR_GET    dump: optional [ADDR]{GROUP_IFINDEX} filter ->
 *                      one [ADDR]{...} per data address: the addresses of
 *                      the group device and the member each is bound to.
 *                      Also the notification of an address bound, moved,
 *                      or left unbound, and of one added while no member
 *                      is active (BOUND_IFINDEX 0).
 * IPMP_CMD_ADDR_DEL    notification only: [ADDR]{...} of a data address
 *                      removed from the group device, with the member it
 *                      was bound to last.
 *
 * GROUP_NEW and GROUP_SET also take ANNOUNCE_COUNT and ANNOUNCE_INTERVAL:
 * how many unsolicited ARP / NA are sent for an address that moved to
 * another member (the first at once) and the time between them, and
 * PROBING: 0 turns probe-based detection off for the whole group (members
 * are then watched by their link only; test addresses and targets are
 * kept and still answered).
 *
 * The FDT in force (FDT_CURRENT) grows when a target's conservative
 * round-trip time (smoothed RTT + 4 x its mean deviation) does not fit the
 * probe interval FDT/7: it becomes 14 x that time, and returns towards FDT,
 * halving, once every target is fast again for a while.  Both changes are
 * logged.
 *
 * Changes need CAP_NET_ADMIN in the user namespace owning the network
 * namespace; GET needs no privilege.  Errors are reported as a negative
 * errno in the netlink ack, with an extended-ack message that names the
 * problem and, where it helps, the offending attribute.  A refused request
 * changes nothing.
 *
 * Changes are announced on the multicast group IPMP_MCGRP_EVENTS with the
 * GET message layout and the command of the change: GROUP_NEW, GROUP_DEL,
 * GROUP_SET (settings or state changed), MEMBER_ADD, MEMBER_DEL,
 * MEMBER_SET (settings or state changed), and ADDR_GET when a data address
 * is bound, moved to another member or left unbound (BOUND_IFINDEX 0).
 *
 * IPMP_CMD_PROBE       notification only, on the multicast group
 *                      IPMP_MCGRP_PROBES: [PROBE]{...}, one per probe that
 *                      was answered or lost ("ipmpstat -p").  Joining that
 *                      group needs CAP_NET_ADMIN, as probe details need root
 *                      on Solaris.
 */
#ifndef _UAPI_LINUX_IPMP_H
#define _UAPI_LINUX_IPMP_H

#define IPMP_GENL_NAME		"ipmp"
#define IPMP_GENL_VERSION	1
#define IPMP_MCGRP_EVENTS	"events"
#define IPMP_MCGRP_PROBES	"probes"

/* Group names: printable, no spaces, at most this many bytes. */
#define IPMP_GROUP_NAME_MAX	31

/* Failure detection time in milliseconds (probe-based detection). */
#define IPMP_FDT_MIN_MS		100
#define IPMP_FDT_DEFAULT_MS	10000
#define IPMP_FDT_MAX_MS		3600000

/* Probe-based failure detection. */
#define IPMP_TARGETS_MAX	5
#define IPMP_PROBE_FAILS	5
#define IPMP_PROBE_REPAIRS	10

/* Announcements of moved data addresses. */
#define IPMP_ANNOUNCE_COUNT_DEFAULT	3
#define IPMP_ANNOUNCE_COUNT_MAX		255
#define IPMP_ANNOUNCE_INTERVAL_DEFAULT_MS	1000
#define IPMP_ANNOUNCE_INTERVAL_MIN_MS	10
#define IPMP_ANNOUNCE_INTERVAL_MAX_MS	60000

enum ipmp_cmd {
	IPMP_CMD_UNSPEC,
	IPMP_CMD_GROUP_GET,
	IPMP_CMD_GROUP_NEW,
	IPMP_CMD_GROUP_DEL,
	IPMP_CMD_GROUP_SET,
	IPMP_CMD_MEMBER_GET,
	IPMP_CMD_MEMBER_ADD,
	IPMP_CMD_MEMBER_DEL,
	IPMP_CMD_MEMBER_SET,
	IPMP_CMD_ADDR_GET,
	IPMP_CMD_TESTADDR_ADD,
	IPMP_CMD_TESTADDR_DEL,
	IPMP_CMD_TARGET_ADD,
	IPMP_CMD_TARGET_DEL,
	IPMP_CMD_PROBE,
	IPMP_CMD_ADDR_DEL,

	__IPMP_CMD_MAX,
	IPMP_CMD_MAX = __IPMP_CMD_MAX - 1
};

enum ipmp_a {
	IPMP_A_UNSPEC,
	IPMP_A_GROUP,		/* nest, enum ipmp_a_group */
	IPMP_A_MEMBER,		/* nest, enum ipmp_a_member */
	IPMP_A_ADDR,		/* nest, enum ipmp_a_addr */
	IPMP_A_PROBE,		/* nest, enum ipmp_a_probe */

	__IPMP_A_MAX,
	IPMP_A_MAX = __IPMP_A_MAX - 1
};

/**
 * enum ipmp_group_state - usability of a group (Solaris "ipmpstat -g" STATE)
 * @IPMP_GROUP_OK: every member is usable
 * @IPMP_GROUP_DEGRADED: some members are usable, not all
 * @IPMP_GROUP_FAILED: no member is usable (or there is none); the group
 *	device has no carrier
 */
enum ipmp_group_state {
	IPMP_GROUP_OK,
	IPMP_GROUP_DEGRADED,
	IPMP_GROUP_FAILED,
};

/**
 * enum ipmp_target_mode - where a group's probe targets come from
 * @IPMP_TARGETS_NONE: nowhere: there is no target
 * @IPMP_TARGETS_STATIC: configured with IPMP_CMD_TARGET_ADD; used alone
 * @IPMP_TARGETS_ROUTES: without static targets, the next hops of the
 *	default route through the group that are on a test subnet
 * @IPMP_TARGETS_MULTICAST: without either, hosts on a test subnet that
 *	answered an ICMP echo to all-hosts (224.0.0.1, TTL 1) sent from the
 *	test addresses, in the order they answered
 * @IPMP_TARGETS_NEIGHBOURS: without any of those, reachable neighbours of
 *	the group device on a test subnet
 */
enum ipmp_target_mode {
	IPMP_TARGETS_NONE,
	IPMP_TARGETS_STATIC,
	IPMP_TARGETS_ROUTES,
	IPMP_TARGETS_MULTICAST,
	IPMP_TARGETS_NEIGHBOURS,
};

/**
 * enum ipmp_a_group - attributes of a group
 * @IPMP_A_GROUP_IFINDEX: u32, ifindex of the group netdevice
 * @IPMP_A_GROUP_IFNAME: string, name of the group netdevice
 * @IPMP_A_GROUP_NAME: string, group name (IPMP_GROUP_NAME_MAX bytes at most,
 *	printable, no spaces, unique in the netns; defaults to IFNAME)
 * @IPMP_A_GROUP_STATE: u8, enum ipmp_group_state (read only)
 * @IPMP_A_GROUP_FDT: u32, failure detection time in ms
 * @IPMP_A_GROUP_FAILBACK: u8, 1 when repaired members become active again
 * @IPMP_A_GROUP_NMEMBERS: u32, number of members (read only)
 * @IPMP_A_GROUP_NACTIVE: u32, number of active members (read only)
 * @IPMP_A_GROUP_ANNOUNCE_COUNT: u32, unsolicited ARP/NA per moved address
 *	(0 to IPMP_ANNOUNCE_COUNT_MAX; default 3)
 * @IPMP_A_GROUP_ANNOUNCE_INTERVAL: u32, ms between them (default 1000)
 * @IPMP_A_GROUP_NADDRS: u32, number of data addresses (read only)
 * @IPMP_A_GROUP_TARGET: binary, 4 (IPv4) or 16 (IPv6) bytes: a target to
 *	add or delete
 * @IPMP_A_GROUP_TARGETS: binary, the IPv4 targets in force, in firing
 *	order, 4 bytes each (read only; TARGET_MODE says where they come from)
 * @IPMP_A_GROUP_PROBING: u8, 1 (the default) when members with a test
 *	address are watched by probes, 0 to watch every member by its link only
 * @IPMP_A_GROUP_FDT_CURRENT: u32, the failure detection time in force, in
 *	ms (read only): FDT, or more while the targets answer too slowly for
 *	it (see IPMP_CMD_GROUP_SET)
 * @IPMP_A_GROUP_TARGET_MODE: u8, enum ipmp_target_mode: where the targets
 *	in force come from (read only)
 * @IPMP_A_GROUP_STATIC_TARGETS: binary, the static targets, 4 bytes each
 *	(read only; absent when there is none)
 * @IPMP_A_GROUP_TARGETS6: binary, the IPv6 targets in force, in firing
 *	order, 16 bytes each (read only)
 * @IPMP_A_GROUP_TARGET_MODE6: u8, enum ipmp_target_mode of the IPv6
 *	targets (read only)
 * @IPMP_A_GROUP_STATIC_TARGETS6: binary, the static IPv6 targets, 16 bytes
 *	each (read only; absent when there is none)
 */
enum ipmp_a_group {
	IPMP_A_GROUP_UNSPEC,
	IPMP_A_GROUP_IFINDEX,
	IPMP_A_GROUP_IFNAME,
	IPMP_A_GROUP_NAME,
	IPMP_A_GROUP_STATE,
	IPMP_A_GROUP_FDT,
	IPMP_A_GROUP_FAILBACK,
	IPMP_A_GROUP_NMEMBERS,
	IPMP_A_GROUP_NACTIVE,
	IPMP_A_GROUP_ANNOUNCE_COUNT,
	IPMP_A_GROUP_ANNOUNCE_INTERVAL,
	IPMP_A_GROUP_NADDRS,
	IPMP_A_GROUP_TARGET,
	IPMP_A_GROUP_TARGETS,
	IPMP_A_GROUP_PROBING,
	IPMP_A_GROUP_FDT_CURRENT,
	IPMP_A_GROUP_TARGET_MODE,
	IPMP_A_GROUP_STATIC_TARGETS,
	IPMP_A_GROUP_TARGETS6,
	IPMP_A_GROUP_TARGET_MODE6,
	IPMP_A_GROUP_STATIC_TARGETS6,

	__IPMP_A_GROUP_MAX,
	IPMP_A_GROUP_MAX = __IPMP_A_GROUP_MAX - 1
};

/**
 * enum ipmp_member_state - state of a member (Solaris "ipmpstat -i" STATE)
 * @IPMP_MEMBER_OK: functioning
 * @IPMP_MEMBER_FAILED: failure detected (link or probes)
 * @IPMP_MEMBER_OFFLINE: taken offline by the administrator
 * @IPMP_MEMBER_UNKNOWN: probing is enabled but no target could be found
 * @IPMP_MEMBER_REMOVED: its device went away; the group keeps its place
 *	(name, standby, test address) for a device of the same name, which
 *	joins in its place when it appears.  Such a member has IFINDEX 0.
 */
enum ipmp_member_state {
	IPMP_MEMBER_OK,
	IPMP_MEMBER_FAILED,
	IPMP_MEMBER_OFFLINE,
	IPMP_MEMBER_UNKNOWN,
	IPMP_MEMBER_REMOVED,
};

/**
 * enum ipmp_link_state - link of a member (Solaris "ipmpstat -i" LINK)
 * @IPMP_LINK_UP: carrier present and the device is up
 * @IPMP_LINK_DOWN: no carrier, or the device is administratively down
 * @IPMP_LINK_UNKNOWN: the driver does not report link state
 */
enum ipmp_link_state {
	IPMP_LINK_UP,
	IPMP_LINK_DOWN,
	IPMP_LINK_UNKNOWN,
};

/**
 * enum ipmp_probe_state - probe-based detection of a member
 * @IPMP_PROBE_OK: probes are answered
 * @IPMP_PROBE_FAILED: probes are lost
 * @IPMP_PROBE_UNKNOWN: probing is enabled but there is no target
 * @IPMP_PROBE_DISABLED: the member has no test address, or probing is off
 */
enum ipmp_probe_state {
	IPMP_PROBE_OK,
	IPMP_PROBE_FAILED,
	IPMP_PROBE_UNKNOWN,
	IPMP_PROBE_DISABLED,
};

/* Member flags (IPMP_A_MEMBER_FLAGS), the letters of "ipmpstat -i" FLAGS. */
#define IPMP_MEMBER_F_INACTIVE	(1U << 0)	/* i */
#define IPMP_MEMBER_F_STANDBY	(1U << 1)	/* s */
#define IPMP_MEMBER_F_BCAST4	(1U << 2)	/* b: IPv4 broadcast nominee */
#define IPMP_MEMBER_F_MCAST4	(1U << 3)	/* m: IPv4 multicast nominee */
#define IPMP_MEMBER_F_MCAST6	(1U << 4)	/* M: IPv6 multicast nominee */
#define IPMP_MEMBER_F_DOWN	(1U << 5)	/* d: administratively down */
#define IPMP_MEMBER_F_DUPHW	(1U << 6)	/* h: duplicate hardware address */

/**
 * enum ipmp_a_member - attributes of a member
 * @IPMP_A_MEMBER_IFINDEX: u32, ifindex of the member netdevice
 * @IPMP_A_MEMBER_IFNAME: string, name of the member netdevice (requests:
 *	only MEMBER_DEL of a removed member)
 * @IPMP_A_MEMBER_GROUP_IFINDEX: u32, ifindex of its group netdevice
 * @IPMP_A_MEMBER_STATE: u8, enum ipmp_member_state (read only)
 * @IPMP_A_MEMBER_FLAGS: u32, IPMP_MEMBER_F_* (read only)
 * @IPMP_A_MEMBER_ACTIVE: u8, 1 when the member carries traffic (read only)
 * @IPMP_A_MEMBER_STANDBY: u8, 1 for a standby member
 * @IPMP_A_MEMBER_LINK: u8, enum ipmp_link_state (read only)
 * @IPMP_A_MEMBER_PROBE: u8, enum ipmp_probe_state (read only)
 * @IPMP_A_MEMBER_OFFLINE: u8, 1 to take the member offline, 0 to bring it
 *	back online (request only; the state shows it)
 * @IPMP_A_MEMBER_NADDRS: u32, data addresses bound to it (read only)
 * @IPMP_A_MEMBER_TESTADDR: binary, its IPv4 test address (4 bytes); in
 *	TESTADDR_ADD/DEL requests 4 bytes or 16 for an IPv6 one
 * @IPMP_A_MEMBER_TESTADDR_PREFIXLEN: u8, prefix length of the IPv4 test
 *	address
 * @IPMP_A_MEMBER_RTT_US: u32, round-trip time of the last answered probe
 *	in microseconds (read only, present once a probe was answered since
 *	the member's test address last changed or the group lost its last
 *	target)
 * @IPMP_A_MEMBER_TESTADDR6: binary, 16 bytes: the IPv6 test address the
 *	member probes from (read only; absent when it does not probe over
 *	IPv6)
 * @IPMP_A_MEMBER_TESTADDR6_CONFIGURED: u8, 1 when TESTADDR6 was configured,
 *	0 when it is derived from the member's MAC (read only)
 */
enum ipmp_a_member {
	IPMP_A_MEMBER_UNSPEC,
	IPMP_A_MEMBER_IFINDEX,
	IPMP_A_MEMBER_IFNAME,
	IPMP_A_MEMBER_GROUP_IFINDEX,
	IPMP_A_MEMBER_STATE,
	IPMP_A_MEMBER_FLAGS,
	IPMP_A_MEMBER_ACTIVE,
	IPMP_A_MEMBER_STANDBY,
	IPMP_A_MEMBER_LINK,
	IPMP_A_MEMBER_PROBE,
	IPMP_A_MEMBER_OFFLINE,
	IPMP_A_MEMBER_NADDRS,
	IPMP_A_MEMBER_TESTADDR,
	IPMP_A_MEMBER_TESTADDR_PREFIXLEN,
	IPMP_A_MEMBER_RTT_US,
	IPMP_A_MEMBER_TESTADDR6,
	IPMP_A_MEMBER_TESTADDR6_CONFIGURED,

	__IPMP_A_MEMBER_MAX,
	IPMP_A_MEMBER_MAX = __IPMP_A_MEMBER_MAX - 1
};

/**
 * enum ipmp_a_addr - attributes of a data address (all read only)
 * @IPMP_A_ADDR_FAMILY: u8, AF_INET or AF_INET6
 * @IPMP_A_ADDR_ADDRESS: binary, 4 or 16 bytes in network order
 * @IPMP_A_ADDR_PREFIXLEN: u8
 * @IPMP_A_ADDR_GROUP_IFINDEX: u32, the group device holding it
 * @IPMP_A_ADDR_BOUND_IFINDEX: u32, the member it is bound to (the inbound
 *	interface), 0 when no member is active
 * @IPMP_A_ADDR_UP: u8, 1 when the group device is up (the address is usable)
 */
enum ipmp_a_addr {
	IPMP_A_ADDR_UNSPEC,
	IPMP_A_ADDR_FAMILY,
	IPMP_A_ADDR_ADDRESS,
	IPMP_A_ADDR_PREFIXLEN,
	IPMP_A_ADDR_GROUP_IFINDEX,
	IPMP_A_ADDR_BOUND_IFINDEX,
	IPMP_A_ADDR_UP,

	__IPMP_A_ADDR_MAX,
	IPMP_A_ADDR_MAX = __IPMP_A_ADDR_MAX - 1
};

/**
 * enum ipmp_probe_result - outcome of one probe
 * @IPMP_PROBE_ACKED: the target answered
 * @IPMP_PROBE_LOST: no answer in time
 */
enum ipmp_probe_result {
	IPMP_PROBE_ACKED,
	IPMP_PROBE_LOST,
};

/**
 * enum ipmp_a_probe - attributes of a probe notification (all read only)
 * @IPMP_A_PROBE_MEMBER_IFINDEX: u32, the member that sent the probe
 * @IPMP_A_PROBE_MEMBER_IFNAME: string, its name
 * @IPMP_A_PROBE_GROUP_IFINDEX: u32, its group device
 * @IPMP_A_PROBE_FAMILY: u8, AF_INET or AF_INET6
 * @IPMP_A_PROBE_TARGET: binary, 4 or 16 bytes: the target probed
 * @IPMP_A_PROBE_SEQ: u32, the probe's sequence number (its identifier)
 * @IPMP_A_PROBE_RESULT: u8, enum ipmp_probe_result
 * @IPMP_A_PROBE_SENT_NS: u64, when it was sent, CLOCK_MONOTONIC ns
 * @IPMP_A_PROBE_NETRTT_US: u32, from sending to the reply's arrival at the
 *	member, in microseconds (acked probes only)
 * @IPMP_A_PROBE_RTT_US: u32, from sending to the reply's processing by the
 *	module, in microseconds (acked probes only)
 * @IPMP_A_PROBE_RTTAVG_US: u32, the smoothed round-trip time of the target
 *	seen from this member, in microseconds (once known)
 * @IPMP_A_PROBE_RTTDEV_US: u32, its mean deviation, in microseconds (once
 *	known).  RTTAVG + 4 x RTTDEV is the target's conservative round-trip
 *	time, which decides whether the FDT in force must grow
 */
enum ipmp_a_probe {
	IPMP_A_PROBE_UNSPEC,
	IPMP_A_PROBE_MEMBER_IFINDEX,
	IPMP_A_PROBE_MEMBER_IFNAME,
	IPMP_A_PROBE_GROUP_IFINDEX,
	IPMP_A_PROBE_FAMILY,
	IPMP_A_PROBE_TARGET,
	IPMP_A_PROBE_SEQ,
	IPMP_A_PROBE_RESULT,
	IPMP_A_PROBE_SENT_NS,
	IPMP_A_PROBE_NETRTT_US,
	IPMP_A_PROBE_RTT_US,
	IPMP_A_PROBE_RTTAVG_US,
	IPMP_A_PROBE_RTTDEV_US,

	__IPMP_A_PROBE_MAX,
	IPMP_A_PROBE_MAX = __IPMP_A_PROBE_MAX - 1
};

#endif /* _UAPI_LINUX_IPMP_H */
