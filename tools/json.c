// SPDX-License-Identifier: GPL-2.0
/*
 * A small JSON writer: indented output, or each top-level value on a line
 * of its own (JSON Lines, for a stream); strings escaped to stay valid.
 */
#include <stdlib.h>
#include <string.h>

#include "ipmpadm.h"

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->first = true;
	j->oneline = false;
}

void json_init_oneline(struct json *j, FILE *f)
{
	json_init(j, f);
	j->oneline = true;
}

/* Length of the valid UTF-8 sequence at @s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned int cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	n = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	cp = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/*
 * Interface names are bytes, not necessarily UTF-8: a byte that is not
 * part of valid UTF-8 is written as the code point of the same value.
 */
void json_escape(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	fputc('"', f);
	while (*s) {
		if (*s == '"' || *s == '\\') {
			fprintf(f, "\\%c", *s++);
		} else if (*s == '\n') {
			fputs("\\n", f);
			s++;
		} else if (*s == '\t') {
			fputs("\\t", f);
			s++;
		} else if (*s < 0x20 || *s == 0x7f) {
			fprintf(f, "\\u%04x", *s++);
		} else if (*s < 0x80) {
			fputc(*s++, f);
		} else if ((n = utf8_len(s))) {
			fwrite(s, 1, n, f);
			s += n;
		} else {
			fprintf(f, "\\u%04x", *s++);
		}
	}
	fputc('"', f);
}

/*
 * Separator, newline and indent before a value; then its key, if any.  On
 * one line, top-level values are separated by their newline alone.
 */
static void json_key(struct json *j, const char *key)
{
	if (!j->first && (j->depth || !j->oneline))
		fputs(j->oneline ? ", " : ",", j->f);
	if (j->depth && !j->oneline)
		fprintf(j->f, "\n%*s", 2 * j->depth, "");
	j->first = false;
	if (key) {
		json_escape(j->f, key);
		fputs(": ", j->f);
	}
}

static void json_begin(struct json *j, const char *key, char open)
{
	json_key(j, key);
	fputc(open, j->f);
	j->depth++;
	j->first = true;
}

static void json_end(struct json *j, char close)
{
	j->depth--;
	if (!j->first && !j->oneline)
		fprintf(j->f, "\n%*s", 2 * j->depth, "");
	fputc(close, j->f);
	j->first = false;
	if (!j->depth)
		fputc('\n', j->f);
}

void json_begin_array(struct json *j, const char *key)
{
	json_begin(j, key, '[');
}

void json_end_array(struct json *j)
{
	json_end(j, ']');
}

void json_begin_object(struct json *j, const char *key)
{
	json_begin(j, key, '{');
}

void json_end_object(struct json *j)
{
	json_end(j, '}');
}

/* A NULL @val is written as null. */
void json_string(struct json *j, const char *key, const char *val)
{
	json_key(j, key);
	if (val)
		json_escape(j->f, val);
	else
		fputs("null", j->f);
}

void json_uint(struct json *j, const char *key, unsigned long long val)
{
	json_key(j, key);
	fprintf(j->f, "%llu", val);
}

void json_bool(struct json *j, const char *key, bool val)
{
	json_key(j, key);
	fputs(val ? "true" : "false", j->f);
}
