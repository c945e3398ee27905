// SPDX-License-Identifier: GPL-2.0
/*
 * ipmpstat: the state of IPMP in the shape of Solaris's ipmpstat(8).
 * Columns, widths, "--" for an empty value, and the way a value too wide
 * for its column borrows from the next ones all follow illumos (ofmt).
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netdb.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ipmpadm.h"

#define VALUE_LEN 4096
#define MAX_FIELDS 32

struct row {
	const struct ipmpstat_fmt *fmt;
	const struct ipmp_state *st;
	const struct ipmp_group *g;
	const struct ipmp_member *m;
	const struct ipmp_addr *a;
	const struct ipmp_probe *p;
	bool v6;			/* -t: the member's IPv6 probing */
};

struct field {
	const char *name;
	unsigned int width;
	void (*get)(const struct row *r, char *buf, size_t len);
};

struct ipmpstat_fmt {
	enum ipmpstat_mode mode;
	enum ipmpstat_out out;
	ipmp_name_fn names;
	uint64_t epoch_ns;	/* -p: TIME 0, CLOCK_MONOTONIC */
	unsigned int nrow;	/* lines printed, header lines included */
	unsigned int page;	/* lines from one header to the next */
	size_t nfields;
	const struct field *fields[MAX_FIELDS];
};

static const char ipmpstat_usage[] =
	"ipmpstat [-n] [-o FIELD,...|all [-P]] [-j] -a|-g|-i|-p|-t";

static const char ipmpstat_help[] =
	"usage: ipmpstat [-n] [-o FIELD,...|all [-P]] [-j] -a|-g|-i|-p|-t\n"
	"\n"
	"  output modes:  -a  display IPMP data address information\n"
	"                 -g  display IPMP group information\n"
	"                 -i  display IPMP-related IP interface information\n"
	"                 -p  display IPMP probe information (needs root)\n"
	"                 -t  display IPMP target information\n"
	"\n"
	"       options:  -n  display IP addresses numerically\n"
	"                 -o  display only the specified fields, in order;\n"
	"                     'all' displays every field\n"
	"                 -P  display using parsable output mode: fields\n"
	"                     separated by ':', no header, ':' and '\\' escaped\n"
	"                     with '\\'; needs -o with explicit fields\n"
	"                 -j  display a JSON array of objects whose keys are\n"
	"                     the lowercase field names (null when empty);\n"
	"                     with -p, one object per line\n"
	"\n"
	"  fields of -a:  ADDRESS STATE GROUP INBOUND OUTBOUND\n"
	"  fields of -g:  GROUP GROUPNAME STATE FDT INTERFACES\n"
	"  fields of -i:  INTERFACE ACTIVE GROUP FLAGS LINK PROBE STATE\n"
	"  fields of -t:  INTERFACE MODE TESTADDR TARGETS\n"
	"  fields of -p:  TIME INTERFACE PROBE NETRTT RTT RTTAVG TARGET, and\n"
	"                 RTTDEV when asked for\n"
	"\n"
	"ADDRESS, TESTADDR and TARGETS are host names when one is found, without\n"
	"-n.  INBOUND is the interface the address is bound to (receives on),\n"
	"OUTBOUND the active interfaces it may send from.\n"
	"INTERFACES lists active interfaces, then inactive ones in (), then\n"
	"unusable ones in [].  FLAGS: i inactive, s standby, m IPv4 multicast,\n"
	"b IPv4 broadcast, M IPv6 multicast nominee, d down, h duplicate\n"
	"hardware address.  FDT is shown only when some member probes.\n"
	"MODE says where the targets (TARGETS, in firing order) come from:\n"
	"static (configured), routes (next hops of the default route),\n"
	"multicast (hosts that answered an all-hosts echo), neighbours\n"
	"(reachable neighbours); unknown when there is no target yet, disabled when the\n"
	"interface has no test address or the group does not probe.\n"
	"-p shows each probe once answered or lost, until interrupted: TIME it\n"
	"was sent (seconds since ipmpstat started, negative if before), PROBE\n"
	"its number, NETRTT its round-trip time on the network, RTT as the\n"
	"module saw it, RTTAVG and RTTDEV the target's smoothed round-trip time\n"
	"and its deviation.  A lost probe has no NETRTT and RTT.\n";

static void append(char *buf, size_t len, const char *sep, const char *s)
{
	size_t used = strlen(buf);

	if (used < len)
		snprintf(buf + used, len - used, "%s%s", used ? sep : "", s);
}

static void g_group(const struct row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s", r->g->ifname);
}

static void g_groupname(const struct row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s", r->g->name);
}

static void g_state(const struct row *r, char *buf, size_t len)
{
	char tmp[ENUM_LEN];

	snprintf(buf, len, "%s", group_state_str(r->g->state, tmp, sizeof(tmp)));
}

/* Seconds with two decimals, rounded half up as Solaris's "%.2fs". */
static void g_fdt(const struct row *r, char *buf, size_t len)
{
	unsigned long cs = ((unsigned long)r->g->fdt_current + 5) / 10;

	if (group_probing(r->st, r->g->ifindex))
		snprintf(buf, len, "%lu.%02lus", cs / 100, cs % 100);
}

/* Active, then (inactive), then [unusable], each in dump order. */
static void g_interfaces(const struct row *r, char *buf, size_t len)
{
	char active[VALUE_LEN] = "", inactive[VALUE_LEN] = "";
	char unusable[VALUE_LEN] = "", part[VALUE_LEN];

	for (size_t i = 0; i < r->st->nmembers; i++) {
		const struct ipmp_member *m = &r->st->members[i];

		if (m->group_ifindex != r->g->ifindex)
			continue;
		if (m->active)
			append(active, sizeof(active), " ", m->ifname);
		else if (member_usable_inactive(m))
			append(inactive, sizeof(inactive), " ", m->ifname);
		else
			append(unusable, sizeof(unusable), " ", m->ifname);
	}
	snprintf(buf, len, "%s", active);
	if (*inactive) {
		snprintf(part, sizeof(part), "(%s)", inactive);
		append(buf, len, " ", part);
	}
	if (*unusable) {
		snprintf(part, sizeof(part), "[%s]", unusable);
		append(buf, len, " ", part);
	}
}

static void host_str(const struct row *r, const struct ipmp_addr *a,
		     char *buf, size_t len);

static void a_address(const struct row *r, char *buf, size_t len)
{
	host_str(r, r->a, buf, len);
}

static void a_state(const struct row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s", r->a->up ? "up" : "down");
}

static void a_group(const struct row *r, char *buf, size_t len)
{
	const struct ipmp_group *g = ipmp_state_group(r->st,
						      r->a->group_ifindex);
	char name[IF_NAMESIZE];

	if (g)
		snprintf(buf, len, "%s", g->ifname);
	else if (if_indextoname(r->a->group_ifindex, name))
		snprintf(buf, len, "%s", name);
}

static void a_inbound(const struct row *r, char *buf, size_t len)
{
	if (r->a->bound_ifindex)
		member_name(r->st, r->a->bound_ifindex, buf, len);
}

/* Any active member of the group; none for a down or unbound address. */
static void a_outbound(const struct row *r, char *buf, size_t len)
{
	if (!r->a->up || !r->a->bound_ifindex)
		return;
	for (size_t i = 0; i < r->st->nmembers; i++) {
		const struct ipmp_member *m = &r->st->members[i];

		if (m->group_ifindex == r->a->group_ifindex && m->active)
			append(buf, len, " ", m->ifname);
	}
}

static void i_interface(const struct row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s", r->m->ifname);
}

static void i_active(const struct row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s", r->m->active ? "yes" : "no");
}

static void i_group(const struct row *r, char *buf, size_t len)
{
	const struct ipmp_group *g = ipmp_state_group(r->st,
						      r->m->group_ifindex);
	char name[IF_NAMESIZE];

	if (g)
		snprintf(buf, len, "%s", g->ifname);
	else if (if_indextoname(r->m->group_ifindex, name))
		snprintf(buf, len, "%s", name);
}

static void i_flags(const struct row *r, char *buf, size_t len)
{
	member_flags_str(r->m, buf, len);
}

static void i_link(const struct row *r, char *buf, size_t len)
{
	char tmp[ENUM_LEN];

	snprintf(buf, len, "%s", link_state_str(r->m->link, tmp, sizeof(tmp)));
}

static void i_probe(const struct row *r, char *buf, size_t len)
{
	char tmp[ENUM_LEN];

	snprintf(buf, len, "%s", probe_state_str(r->m->probe, tmp, sizeof(tmp)));
}

static void i_state(const struct row *r, char *buf, size_t len)
{
	char tmp[ENUM_LEN];

	snprintf(buf, len, "%s", member_state_str(r->m->state, tmp, sizeof(tmp)));
}

/* A name (unless -n, or none is known), else the number, as Solaris. */
static void host_str(const struct row *r, const struct ipmp_addr *a,
		     char *buf, size_t len)
{
	if (!r->fmt->names || r->fmt->names(a, buf, len))
		addr_str(a, false, buf, len);
}

static const struct ipmp_group *member_group(const struct row *r)
{
	return ipmp_state_group(r->st, r->m->group_ifindex);
}

/*
 * Solaris's target modes are those of in.mpathd's discovery: "routes" and
 * "multicast"; here also "static" (configured targets, used alone) and
 * "neighbours" (the last resort); without any target the member's probing
 * is "unknown", as its PROBE state says.
 */
static bool row_has_testaddr(const struct row *r)
{
	return r->v6 ? r->m->has_testaddr6 : r->m->has_testaddr;
}

static const char *target_mode(const struct row *r)
{
	const struct ipmp_group *g = member_group(r);

	if (!row_has_testaddr(r) || !g || !g->probing)
		return "disabled";
	if (!(r->v6 ? g->ntargets6 : g->ntargets))
		return "unknown";
	switch (r->v6 ? g->target_mode6 : g->target_mode) {
	case IPMP_TARGETS_STATIC:
		return "static";
	case IPMP_TARGETS_ROUTES:
		return "routes";
	case IPMP_TARGETS_MULTICAST:
		return "multicast";
	case IPMP_TARGETS_NEIGHBOURS:
		return "neighbours";
	}
	return "unknown";
}

static void t_mode(const struct row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s", target_mode(r));
}

static void t_testaddr(const struct row *r, char *buf, size_t len)
{
	struct ipmp_addr a = { .family = AF_INET, .prefixlen = 32 };

	/* Solaris shows no test address where probing is disabled. */
	if (!strcmp(target_mode(r), "disabled"))
		return;
	if (r->v6) {
		a.family = AF_INET6;
		a.prefixlen = 128;
		memcpy(a.addr, r->m->testaddr6, sizeof(r->m->testaddr6));
	} else {
		memcpy(a.addr, r->m->testaddr, sizeof(r->m->testaddr));
	}
	host_str(r, &a, buf, len);
}

static void t_targets(const struct row *r, char *buf, size_t len)
{
	const struct ipmp_group *g = member_group(r);
	char name[NI_MAXHOST];
	struct ipmp_addr a;

	if (!g || !strcmp(target_mode(r), "disabled"))
		return;
	for (uint32_t i = 0; i < (r->v6 ? g->ntargets6 : g->ntargets); i++) {
		if (r->v6)
			target6_addr(g, i, &a);
		else
			target_addr(g, i, &a);
		host_str(r, &a, name, sizeof(name));
		append(buf, len, " ", name);
	}
}

/* Seconds with two decimals, as Solaris's "%.2fs"; negative if before. */
static void p_time(const struct row *r, char *buf, size_t len)
{
	int64_t d = (int64_t)(r->p->sent_ns - r->fmt->epoch_ns);
	uint64_t mag = d < 0 ? 0 - (uint64_t)d : (uint64_t)d;
	uint64_t cs = (mag + 5000000) / 10000000;

	snprintf(buf, len, "%s%llu.%02llus", d < 0 && cs ? "-" : "",
		 (unsigned long long)(cs / 100), (unsigned long long)(cs % 100));
}

static void p_interface(const struct row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s", r->p->ifname);
}

static void p_probe(const struct row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%u", r->p->seq);
}

static void p_netrtt(const struct row *r, char *buf, size_t len)
{
	if (r->p->has_netrtt)
		rtt_str(r->p->netrtt_us, buf, len);
}

static void p_rtt(const struct row *r, char *buf, size_t len)
{
	if (r->p->has_rtt)
		rtt_str(r->p->rtt_us, buf, len);
}

static void p_rttavg(const struct row *r, char *buf, size_t len)
{
	if (r->p->has_rttavg)
		rtt_str(r->p->rttavg_us, buf, len);
}

static void p_rttdev(const struct row *r, char *buf, size_t len)
{
	if (r->p->has_rttdev)
		rtt_str(r->p->rttdev_us, buf, len);
}

static void p_target(const struct row *r, char *buf, size_t len)
{
	host_str(r, &r->p->target, buf, len);
}

static const struct field addr_fields[] = {
	{ "ADDRESS", 26, a_address },
	{ "STATE", 7, a_state },
	{ "GROUP", 12, a_group },
	{ "INBOUND", 12, a_inbound },
	{ "OUTBOUND", 23, a_outbound },
	{ NULL, 0, NULL }
};

static const struct field group_fields[] = {
	{ "GROUP", 12, g_group },
	{ "GROUPNAME", 12, g_groupname },
	{ "STATE", 10, g_state },
	{ "FDT", 10, g_fdt },
	{ "INTERFACES", 30, g_interfaces },
	{ NULL, 0, NULL }
};

static const struct field if_fields[] = {
	{ "INTERFACE", 12, i_interface },
	{ "ACTIVE", 8, i_active },
	{ "GROUP", 12, i_group },
	{ "FLAGS", 10, i_flags },
	{ "LINK", 10, i_link },
	{ "PROBE", 10, i_probe },
	{ "STATE", 10, i_state },
	{ NULL, 0, NULL }
};

static const struct field target_fields[] = {
	{ "INTERFACE", 12, i_interface },
	{ "MODE", 10, t_mode },
	{ "TESTADDR", 20, t_testaddr },
	{ "TARGETS", 38, t_targets },
	{ NULL, 0, NULL }
};

/*
 * Solaris has RTTDEV too, after TARGET, but leaves it out of the columns it
 * documents: here it is shown when asked for, by name or with "all".
 */
static const char probe_default[] = "TIME,INTERFACE,PROBE,NETRTT,RTT,RTTAVG,TARGET";

static const struct field probe_fields[] = {
	{ "TIME", 10, p_time },
	{ "INTERFACE", 12, p_interface },
	{ "PROBE", 7, p_probe },
	{ "NETRTT", 10, p_netrtt },
	{ "RTT", 10, p_rtt },
	{ "RTTAVG", 10, p_rttavg },
	{ "TARGET", 20, p_target },
	{ "RTTDEV", 10, p_rttdev },
	{ NULL, 0, NULL }
};

static const struct field *find_field(const struct field *table,
				      const char *name)
{
	for (; table->name; table++)
		if (!strcasecmp(table->name, name))
			return table;
	return NULL;
}

/*
 * Unknown names are skipped with one warning naming them all in human
 * output, as Solaris does, and refused where a program reads the output.
 */
static int select_fields(struct ipmpstat_fmt *fmt, const struct field *table,
			 const char *list)
{
	char *copy, *tok, *save = NULL, bad[VALUE_LEN] = "";
	const struct field *f;
	unsigned int nbad = 0;
	size_t used;
	int ret = 0;

	copy = strdup(list);
	if (!copy)
		return fail("out of memory");
	for (tok = strtok_r(copy, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save)) {
		f = find_field(table, tok);
		if (!f) {
			used = strlen(bad);
			snprintf(bad + used, sizeof(bad) - used, "%s'%s'",
				 used ? " " : "", tok);
			nbad++;
		} else if (fmt->nfields == MAX_FIELDS) {
			ret = fail("too many output fields");
		} else {
			fmt->fields[fmt->nfields++] = f;
		}
	}
	free(copy);
	if (!ret && nbad && fmt->out == IPMPSTAT_HUMAN)
		warn("ignoring unknown output field%s: %s",
		     nbad > 1 ? "s" : "", bad);
	else if (!ret && nbad)
		ret = fail("unknown output field%s: %s", nbad > 1 ? "s" : "",
			   bad);
	if (!ret && !fmt->nfields)
		ret = fail("no valid output fields");
	return ret;
}

int ipmpstat_fmt_new(enum ipmpstat_mode mode, enum ipmpstat_out out,
		     const char *fields, struct ipmpstat_fmt **fmtp)
{
	const struct field *table = mode == IPMPSTAT_GROUP ? group_fields :
				    mode == IPMPSTAT_ADDR ? addr_fields :
				    mode == IPMPSTAT_TARGET ? target_fields :
				    mode == IPMPSTAT_PROBE ? probe_fields :
							     if_fields;
	struct ipmpstat_fmt *fmt;

	if (out == IPMPSTAT_PARSABLE && !fields)
		return fail("output fields must be specified in parsable mode");
	if (out == IPMPSTAT_PARSABLE && !strcmp(fields, "all"))
		return fail("output field 'all' invalid in parsable mode");
	fmt = calloc(1, sizeof(*fmt));
	if (!fmt)
		return fail("out of memory");
	fmt->mode = mode;
	fmt->out = out;
	fmt->names = ipmp_hostname;
	fmt->page = 24;
	if (!fields && mode == IPMPSTAT_PROBE)
		fields = probe_default;
	if (fields && strcmp(fields, "all")) {
		if (select_fields(fmt, table, fields)) {
			free(fmt);
			return 1;
		}
	} else {
		for (; table->name; table++)
			fmt->fields[fmt->nfields++] = table;
	}
	*fmtp = fmt;
	return 0;
}

void ipmpstat_fmt_names(struct ipmpstat_fmt *fmt, ipmp_name_fn fn)
{
	fmt->names = fn;
}

void ipmpstat_fmt_epoch(struct ipmpstat_fmt *fmt, uint64_t mono_ns)
{
	fmt->epoch_ns = mono_ns;
}

void ipmpstat_fmt_free(struct ipmpstat_fmt *fmt)
{
	free(fmt);
}

/* Solaris's ofmt: a wide value pushes on, and later columns give back. */
static void print_human(FILE *f, const struct field *fd, const char *value,
			bool last, unsigned int *overflow)
{
	unsigned int width = fd->width;
	unsigned int give;
	size_t vlen;

	if (!*value)
		value = "--";
	vlen = strlen(value);
	if (last) {
		fputs(value, f);
		*overflow = 0;
		return;
	}
	if (vlen + *overflow >= width) {
		*overflow += (unsigned int)vlen - width + 1;
		fprintf(f, "%s ", value);
		return;
	}
	if (*overflow) {
		give = width - (unsigned int)vlen;
		give = *overflow < give ? *overflow : give;
		*overflow -= give;
		width -= give;
	}
	fprintf(f, "%-*s", (int)width, value);
}

/* A single field is printed as is, as Solaris does; several are escaped. */
static void print_parsable(FILE *f, const char *value, bool escape,
			   bool last)
{
	for (; *value; value++) {
		if (escape && (*value == ':' || *value == '\\'))
			fputc('\\', f);
		fputc(*value, f);
	}
	if (!last)
		fputc(':', f);
}

/* Lines from one header to the next: the terminal's height, else 24. */
static unsigned int page_lines(FILE *f)
{
	struct winsize ws;

	if (ioctl(fileno(f), TIOCGWINSZ, &ws) || !ws.ws_row || !ws.ws_col)
		return 24;
	return ws.ws_row;
}

/*
 * As Solaris's ofmt: the header comes with the first row (none without
 * rows), and again after each screenful of lines.
 */
static void print_header(FILE *f, struct ipmpstat_fmt *fmt)
{
	unsigned int overflow = 0;

	if (fmt->nrow++ % fmt->page)
		return;
	if (fmt->nrow == 1)
		fmt->page = page_lines(f);
	for (size_t i = 0; i < fmt->nfields; i++)
		print_human(f, fmt->fields[i], fmt->fields[i]->name,
			    i + 1 == fmt->nfields, &overflow);
	fputc('\n', f);
	fmt->nrow++;
}

static void print_row(FILE *f, struct ipmpstat_fmt *fmt, const struct row *r)
{
	unsigned int overflow = 0;
	char value[VALUE_LEN];

	if (fmt->out == IPMPSTAT_HUMAN)
		print_header(f, fmt);
	for (size_t i = 0; i < fmt->nfields; i++) {
		bool last = i + 1 == fmt->nfields;

		value[0] = '\0';
		fmt->fields[i]->get(r, value, sizeof(value));
		if (fmt->out == IPMPSTAT_PARSABLE)
			print_parsable(f, value, fmt->nfields > 1, last);
		else
			print_human(f, fmt->fields[i], value, last, &overflow);
	}
	fputc('\n', f);
}

static void json_row(struct json *j, const struct ipmpstat_fmt *fmt,
		     const struct row *r)
{
	char value[VALUE_LEN], key[16];
	size_t k;

	json_begin_object(j, NULL);
	for (size_t i = 0; i < fmt->nfields; i++) {
		const char *name = fmt->fields[i]->name;

		for (k = 0; name[k] && k + 1 < sizeof(key); k++)
			key[k] = (char)tolower((unsigned char)name[k]);
		key[k] = '\0';
		value[0] = '\0';
		fmt->fields[i]->get(r, value, sizeof(value));
		json_string(j, key, *value ? value : NULL);
	}
	json_end_object(j);
}

static void emit(FILE *f, struct ipmpstat_fmt *fmt, struct json *j,
		 const struct row *r)
{
	if (fmt->out == IPMPSTAT_JSON)
		json_row(j, fmt, r);
	else
		print_row(f, fmt, r);
}

/* Interfaces group by group, as Solaris walks them; strays at the end. */
/*
 * A member's line; with -t one per family it probes in, IPv4 first, as
 * Solaris prints a line per test address (one line when it probes in
 * none).
 */
static void emit_member(FILE *f, struct ipmpstat_fmt *fmt,
			struct json *j, struct row *r)
{
	bool v6only = r->m->has_testaddr6 && !r->m->has_testaddr;

	r->v6 = fmt->mode == IPMPSTAT_TARGET && v6only;
	emit(f, fmt, j, r);
	if (fmt->mode == IPMPSTAT_TARGET && r->m->has_testaddr6 && !v6only) {
		r->v6 = true;
		emit(f, fmt, j, r);
	}
	r->v6 = false;
}

static void emit_members(FILE *f, struct ipmpstat_fmt *fmt,
			 struct json *j, const struct ipmp_state *st)
{
	struct row r = { .fmt = fmt, .st = st };
	size_t gi, i;

	for (gi = 0; gi <= st->ngroups; gi++) {
		for (i = 0; i < st->nmembers; i++) {
			r.m = &st->members[i];
			if (gi < st->ngroups ?
			    r.m->group_ifindex == st->groups[gi].ifindex :
			    !ipmp_state_group(st, r.m->group_ifindex))
				emit_member(f, fmt, j, &r);
		}
	}
}

/* Addresses group by group too, each group's in dump order. */
static void emit_addrs(FILE *f, struct ipmpstat_fmt *fmt,
		       struct json *j, const struct ipmp_state *st)
{
	struct row r = { .fmt = fmt, .st = st };
	size_t gi, i;

	for (gi = 0; gi <= st->ngroups; gi++) {
		for (i = 0; i < st->naddrs; i++) {
			r.a = &st->addrs[i];
			if (gi < st->ngroups ?
			    r.a->group_ifindex == st->groups[gi].ifindex :
			    !ipmp_state_group(st, r.a->group_ifindex))
				emit(f, fmt, j, &r);
		}
	}
}

static void emit_groups(FILE *f, struct ipmpstat_fmt *fmt,
			struct json *j, const struct ipmp_state *st)
{
	struct row r = { .fmt = fmt, .st = st };

	for (size_t i = 0; i < st->ngroups; i++) {
		r.g = &st->groups[i];
		emit(f, fmt, j, &r);
	}
}

void ipmpstat_print(FILE *f, struct ipmpstat_fmt *fmt,
		    const struct ipmp_state *st)
{
	struct json j;

	json_init(&j, f);
	if (fmt->out == IPMPSTAT_JSON)
		json_begin_array(&j, NULL);
	if (fmt->mode == IPMPSTAT_GROUP)
		emit_groups(f, fmt, &j, st);
	else if (fmt->mode == IPMPSTAT_ADDR)
		emit_addrs(f, fmt, &j, st);
	else
		emit_members(f, fmt, &j, st);
	if (fmt->out == IPMPSTAT_JSON)
		json_end_array(&j);
}

/* One line per probe; with -j one object per line, to be read as it comes. */
void ipmpstat_print_probe(FILE *f, struct ipmpstat_fmt *fmt,
			  const struct ipmp_probe *p)
{
	struct row r = { .fmt = fmt, .p = p };
	struct json j;

	json_init_oneline(&j, f);
	emit(f, fmt, &j, &r);
}

/*
 * The kernel dropped reports that were not read in time (ENOBUFS): a line
 * says so in the output itself, where whoever reads it will see the gap.
 */
void ipmpstat_print_lost(FILE *f, const struct ipmpstat_fmt *fmt)
{
	if (fmt->out == IPMPSTAT_JSON)
		fputs("{\"lost\": true}\n", f);
	else
		fputs("# some probe reports were lost: not read in time\n", f);
}

struct ipmpstat_args {
	enum ipmpstat_mode mode;
	const char *fields;
	bool numeric;
	bool parsable;
	bool json;
};

static int set_mode(struct ipmpstat_args *a, enum ipmpstat_mode mode)
{
	if (a->mode != IPMPSTAT_NONE)
		return usage_fail(ipmpstat_usage,
				  "only one output format may be specified");
	a->mode = mode;
	return 0;
}

static int parse_opt(struct ipmpstat_args *a, int c)
{
	switch (c) {
	case 'a':
		return set_mode(a, IPMPSTAT_ADDR);
	case 'g':
		return set_mode(a, IPMPSTAT_GROUP);
	case 'i':
		return set_mode(a, IPMPSTAT_IF);
	case 't':
		return set_mode(a, IPMPSTAT_TARGET);
	case 'p':
		return set_mode(a, IPMPSTAT_PROBE);
	case 'n':
		a->numeric = true;
		return 0;
	case 'o':
		a->fields = optarg;
		return 0;
	case 'P':
		a->parsable = true;
		return 0;
	case 'j':
		a->json = true;
		return 0;
	default:
		return usage_fail(ipmpstat_usage, "unknown option '-%c'", c);
	}
}

static int parse_args(int argc, char **argv, struct ipmpstat_args *a)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, ret;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:agiptnPo:jh", longopts,
				NULL)) != -1) {
		if (c == 'h')
			return -1;
		if (c == ':')
			return usage_fail(ipmpstat_usage,
					  "option '-%c' needs a value", optopt);
		if (c == '?' && optopt)
			return usage_fail(ipmpstat_usage,
					  "unknown option '-%c'", optopt);
		if (c == '?')
			return usage_fail(ipmpstat_usage, "unknown option '%s'",
					  argv[optind - 1]);
		ret = parse_opt(a, c);
		if (ret)
			return ret;
	}
	if (optind < argc)
		return usage_fail(ipmpstat_usage, "unexpected '%s'",
				  argv[optind]);
	if (a->mode == IPMPSTAT_NONE)
		return usage_fail(ipmpstat_usage, "an output mode is needed");
	if (a->parsable && a->json)
		return usage_fail(ipmpstat_usage,
				  "-P and -j cannot be used together");
	return 0;
}

/* -g, -i and -t need no ADDR_GET, so they work with older modules too. */
static int fetch(struct ipmp_state *st, enum ipmpstat_mode mode)
{
	struct ipmp_nl *nl;
	int err;

	if (ipmp_nl_open(&nl))
		return EXIT_FAILURE;
	err = ipmp_dump_groups(nl, st);
	if (!err)
		err = ipmp_dump_members(nl, 0, st);
	if (!err && mode == IPMPSTAT_ADDR) {
		err = ipmp_dump_addrs(nl, 0, st);
		if (err == -EOPNOTSUPP) {
			fail("-a is not supported by this ipmp module (no data-address dump)");
			goto out;
		}
	}
	if (err)
		fail("cannot get the IPMP state: %s", ipmp_nl_error(nl, err));
out:
	ipmp_nl_close(nl);
	return err ? EXIT_FAILURE : 0;
}

int ipmpstat_main(int argc, char **argv)
{
	struct ipmpstat_args a = { .mode = IPMPSTAT_NONE };
	struct ipmp_state st = { 0 };
	struct ipmpstat_fmt *fmt;
	enum ipmpstat_out out;
	int ret;

	ret = parse_args(argc, argv, &a);
	if (ret < 0)
		return print_help(ipmpstat_help);
	if (ret)
		return ret;
	out = a.json ? IPMPSTAT_JSON :
	      a.parsable ? IPMPSTAT_PARSABLE : IPMPSTAT_HUMAN;
	if (ipmpstat_fmt_new(a.mode, out, a.fields, &fmt))
		return usage_fail(ipmpstat_usage, NULL);
	if (a.numeric)
		ipmpstat_fmt_names(fmt, NULL);
	if (a.mode == IPMPSTAT_PROBE) {
		ret = ipmpstat_probes(fmt, a.numeric);
		ipmpstat_fmt_free(fmt);
		return ret;
	}
	ret = fetch(&st, a.mode);
	if (!ret)
		ipmpstat_print(stdout, fmt, &st);
	ipmp_state_free(&st);
	ipmpstat_fmt_free(fmt);
	return ret;
}
