/* fuzz_hub.c: libFuzzer target for the Local Contexts Hub project reader
 * (labels_read_hub), which reads a file from outside the archive.
 * Checks: no crash, no leak; the result is a success or ERR_INVALID (or
 * ERR_NOMEM), a refusal always says why, and a success holds at least
 * one label, each of a published type with its name and text, and a
 * community for every TK and BC label. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/labels.h"
#include "core/buf.h"
#include "core/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hub_project p;
	struct buf errors;
	int rc;

	buf_init(&errors, 1 << 20);
	rc = labels_read_hub((const char *)data, size, "fuzz", &p, &errors);
	if (rc != 0 && rc != ERR_INVALID && rc != ERR_NOMEM)
		abort();
	if (rc == ERR_INVALID && errors.len == 0 && errors.err == 0)
		abort();	/* a refusal must say why */
	if (rc == 0) {
		if (p.nlabels == 0 || !p.project_id)
			abort();
		for (size_t i = 0; i < p.nlabels; i++) {
			const struct hub_label *l = &p.labels[i];
			if (!labels_type(l->kind, l->type) || !l->name || !l->text)
				abort();
			if (strcmp(l->kind, "notice") != 0 && !l->community)
				abort();
			for (size_t k = 0; k < l->ntr; k++)
				if (!l->tr[k].lang || !l->tr[k].name || !l->tr[k].text)
					abort();
		}
	}
	labels_hub_free(&p);
	buf_free(&errors);
	return 0;
}
