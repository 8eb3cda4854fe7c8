/* SCSI identification as iSCSI LUNs give it: VPD pages 0x83 and 0x80
 * and the fixed-width text fields. The first byte cuts the rest into
 * page 0x83 and page 0x80. */
#include "fuzz.h"
#include "../../../backends/iscsi_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cut;
	char *key, *serial, *vendor, *model, *note;

	if (size < 1)
		return 0;
	cut = data[0];
	data++;
	size--;
	if (cut > size)
		cut = size;
	vendor = scsi_text(data, size < 8 ? size : 8);
	model = scsi_text(data + (size < 8 ? size : 8),
			  size < 8 ? 0 : (size - 8 < 16 ? size - 8 : 16));
	serial = scsi_vpd80_serial(data + cut, size - cut);
	key = scsi_id_key(data, cut, data + cut, size - cut, vendor, model);
	FUZZ_ASSERT(key == NULL || (key[0] != '\0' && strchr(key, '\n') == NULL),
		    "a SCSI key that is empty or holds a newline");
	note = scsi_lun_note(vendor, model, serial);
	free(note);
	free(key);
	free(serial);
	free(vendor);
	free(model);
	return 0;
}
