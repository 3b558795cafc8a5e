/*
 * cmd_audit.h - the audit toolkit's sub-commands of pptpkit:
 *
 *	pptpkit audit CAPTURE [--json]
 *	pptpkit export CAPTURE --format hashcat|hashcat-des|john|crack.sh
 *	pptpkit crack (CAPTURE | --challenge HEX --response HEX | ...)
 *	pptpkit decrypt CAPTURE (--password P | --nt-hash H) -o OUT.pcap
 *
 * Each takes argc/argv after its own name and returns the exit status.
 */
#ifndef PK_CMD_AUDIT_H
#define PK_CMD_AUDIT_H

int cmd_audit(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_crack(int argc, char **argv);
int cmd_decrypt(int argc, char **argv);

#endif
