/*
 * cmd_scan.h - the audit toolkit's active commands, called from
 * pptpkit.c: `pptpkit scan` (cmd_scan.c) and `pptpkit bitflip`
 * (cmd_bitflip.c). Each takes the arguments after its own name and
 * returns the exit status.
 */
#ifndef PK_CMD_SCAN_H
#define PK_CMD_SCAN_H

int cmd_scan(int argc, char **argv);
int cmd_bitflip(int argc, char **argv);

#endif
