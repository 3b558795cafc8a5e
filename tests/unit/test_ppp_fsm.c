/*
 * test_ppp_fsm.c - the RFC 1661 §4 automaton through a dummy protocol:
 * every cell of the §4.1 state/event table (transcribed here again, from
 * the RFC text, independently of fsm.c), restart counters and timers,
 * the Max-Failure bound on Nak loops, malformed packets, out-of-sequence
 * answers (discarded) and renegotiation from Opened.
 */
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "ppp/fsm.h"
#include "ppp/ppp_proto.h"
#include "test.h"

#define MAX_SENT 32

/* The dummy protocol: option 1 is acked, 2 Nak'd, the rest rejected. */
struct dummy {
	uint8_t sent[MAX_SENT][PK_PPP_FRAME_MAX];
	size_t sent_len[MAX_SENT];
	int nsent;
	int tlu, tld, tls, tlf, resets, rxr;
	int tld_reneg;		/* tld calls that said "renegotiating" */
	int resets_seen_by_req;	/* resets when an option was judged */
	int naks_seen, rejs_seen;
	uint8_t want[16];
	size_t want_len;
};

static struct dummy dum;

static void
d_reset(struct ppp_fsm *f)
{
	dum.resets++;
}

static int
d_build(struct ppp_fsm *f, struct buf_writer *w)
{
	return buf_put_bytes(w, dum.want, dum.want_len);
}

static int
d_req_option(struct ppp_fsm *f, uint8_t type, struct buf_reader *val,
    struct buf_writer *nak)
{
	dum.resets_seen_by_req = dum.resets;
	if (type == 1)
		return PPP_CONFACK;
	if (type == 2) {
		buf_put_u8(nak, 2);
		buf_put_u8(nak, 3);
		buf_put_u8(nak, 7);
		return PPP_CONFNAK;
	}
	return PPP_CONFREJ;
}

static void
d_nak(struct ppp_fsm *f, uint8_t type, struct buf_reader *val)
{
	dum.naks_seen++;
}

static void
d_rej(struct ppp_fsm *f, uint8_t type, struct buf_reader *val)
{
	dum.rejs_seen++;
}

static void d_up(struct ppp_fsm *f) { dum.tlu++; }
static void
d_down(struct ppp_fsm *f)
{
	dum.tld++;
	dum.tld_reneg += ppp_fsm_renegotiating(f);
}

static void d_starting(struct ppp_fsm *f) { dum.tls++; }
static void d_finished(struct ppp_fsm *f) { dum.tlf++; }

static int
d_extcode(struct ppp_fsm *f, uint8_t code, uint8_t id,
    struct buf_reader *data)
{
	return code == LCP_ECHOREQ ? PPP_FSM_RXR : PK_ERR_TYPE;
}

static void
d_rxr(struct ppp_fsm *f, uint8_t code, uint8_t id, struct buf_reader *data)
{
	dum.rxr++;
	ppp_fsm_send(f, LCP_ECHOREP, id, NULL, 0);
}

static int
d_send(struct ppp_fsm *f, const uint8_t *pkt, size_t len)
{
	if (dum.nsent < MAX_SENT && len <= PK_PPP_FRAME_MAX) {
		memcpy(dum.sent[dum.nsent], pkt, len);
		dum.sent_len[dum.nsent] = len;
	}
	dum.nsent++;
	return 0;
}

static const struct ppp_fsm_callbacks dummy_cb = {
	.reset = d_reset,
	.build_request = d_build,
	.req_option = d_req_option,
	.nak_option = d_nak,
	.rej_option = d_rej,
	.up = d_up,
	.down = d_down,
	.starting = d_starting,
	.finished = d_finished,
	.extcode = d_extcode,
	.rxr = d_rxr,
	.send = d_send,
};

static const struct ppp_fsm_timers timers = {
	.restart_ms = 3000, .max_configure = 10, .max_terminate = 3,
	.max_failure = 5,
};

static void
setup(struct ppp_fsm *f)
{
	memset(&dum, 0, sizeof(dum));
	dum.want[0] = 1;
	dum.want[1] = 2;
	dum.want_len = 2;
	ppp_fsm_init(f, PPP_PROTO_LCP, "TEST", &dummy_cb, NULL, "test",
	    &timers);
}

/* The RFC 1661 §4.1 table, as the RFC prints it: "action,.../state". */
static const char *const rfc_table[PPP_FSM_NEVENTS][PPP_FSM_NSTATES] = {
	/* Up */ { "2", "irc,scr/6", "-", "-", "-", "-", "-", "-", "-", "-" },
	/* Down */ { "-", "-", "0", "tls/1", "0", "1", "1", "1", "1",
	    "tld/1" },
	/* Open */ { "tls/1", "1", "irc,scr/6", "3", "5", "5", "6", "7", "8",
	    "9" },
	/* Close */ { "0", "tlf/0", "2", "2", "4", "4", "irc,str/4",
	    "irc,str/4", "irc,str/4", "tld,irc,str/4" },
	/* TO+ */ { "-", "-", "-", "-", "str/4", "str/5", "scr/6", "scr/6",
	    "scr/8", "-" },
	/* TO- */ { "-", "-", "-", "-", "tlf/2", "tlf/3", "tlf/3", "tlf/3",
	    "tlf/3", "-" },
	/* RCR+ */ { "-", "-", "sta/2", "irc,scr,sca/8", "4", "5", "sca/8",
	    "sca,tlu/9", "sca/8", "tld,scr,sca/8" },
	/* RCR- */ { "-", "-", "sta/2", "irc,scr,scn/6", "4", "5", "scn/6",
	    "scn/7", "scn/6", "tld,scr,scn/6" },
	/* RCA */ { "-", "-", "sta/2", "sta/3", "4", "5", "irc/7", "scr/6",
	    "irc,tlu/9", "tld,scr/6" },
	/* RCN */ { "-", "-", "sta/2", "sta/3", "4", "5", "irc,scr/6",
	    "scr/6", "irc,scr/8", "tld,scr/6" },
	/* RTR */ { "-", "-", "sta/2", "sta/3", "sta/4", "sta/5", "sta/6",
	    "sta/6", "sta/6", "tld,zrc,sta/5" },
	/* RTA */ { "-", "-", "2", "3", "tlf/2", "tlf/3", "6", "6", "8",
	    "tld,scr/6" },
	/* RUC */ { "-", "-", "scj/2", "scj/3", "scj/4", "scj/5", "scj/6",
	    "scj/7", "scj/8", "scj/9" },
	/* RXJ+ */ { "-", "-", "2", "3", "4", "5", "6", "6", "8", "9" },
	/* RXJ- */ { "-", "-", "tlf/2", "tlf/3", "tlf/2", "tlf/3", "tlf/3",
	    "tlf/3", "tlf/3", "tld,irc,str/5" },
	/* RXR */ { "-", "-", "2", "3", "4", "5", "6", "7", "8", "ser/9" },
};

static const struct {
	const char *name;
	unsigned bit;
} action_names[] = {
	{ "tlu", PPP_FSM_A_TLU }, { "tld", PPP_FSM_A_TLD },
	{ "tls", PPP_FSM_A_TLS }, { "tlf", PPP_FSM_A_TLF },
	{ "irc", PPP_FSM_A_IRC }, { "zrc", PPP_FSM_A_ZRC },
	{ "scr", PPP_FSM_A_SCR }, { "sca", PPP_FSM_A_SCA },
	{ "scn", PPP_FSM_A_SCN }, { "str", PPP_FSM_A_STR },
	{ "sta", PPP_FSM_A_STA }, { "scj", PPP_FSM_A_SCJ },
	{ "ser", PPP_FSM_A_SER },
};

/* Parses "irc,scr/6" into an action mask and next state (-1 for "-"). */
static int
parse_cell(const char *cell, unsigned *actions)
{
	const char *p = cell;

	*actions = 0;
	if (strcmp(cell, "-") == 0)
		return -1;
	while (strchr(p, '/') != NULL) {
		size_t n = strcspn(p, ",/");
		size_t i;

		for (i = 0; i < sizeof(action_names) / sizeof(action_names[0]);
		    i++)
			if (strlen(action_names[i].name) == n &&
			    strncmp(p, action_names[i].name, n) == 0)
				*actions |= action_names[i].bit;
		p += n + 1;
		if (p[-1] == '/')
			break;
	}
	return atoi(p);
}

static void
test_table_matches_rfc(void)
{
	for (int ev = 0; ev < PPP_FSM_NEVENTS; ev++) {
		for (int st = 0; st < PPP_FSM_NSTATES; st++) {
			unsigned want_a, got_a;
			int want_n = parse_cell(rfc_table[ev][st], &want_a);
			int got_n = ppp_fsm_table(st, ev, &got_a);

			if (want_n != got_n || want_a != got_a)
				fprintf(stderr, "cell %s/%s: got %d/%#x\n",
				    ppp_fsm_event_name(ev),
				    ppp_fsm_state_name(st), got_n, got_a);
			CHECK_INT(got_n, want_n);
			CHECK_INT(got_a, want_a);
		}
	}
}

static void
feed(struct ppp_fsm *f, const char *hex)
{
	uint8_t pkt[256];
	size_t n = test_unhex(hex, pkt, sizeof(pkt));

	ppp_fsm_input(f, 1000, pkt, n);
}

/* Raises one event through the public interface. */
static void
raise_event(struct ppp_fsm *f, int ev)
{
	uint8_t ack[PPP_HDR_LEN + PPP_FSM_REQ_MAX];
	struct buf_writer w;

	switch (ev) {
	case PPP_FSM_EV_UP:
		ppp_fsm_lower_up(f, 1000);
		break;
	case PPP_FSM_EV_DOWN:
		ppp_fsm_lower_down(f, 1000);
		break;
	case PPP_FSM_EV_OPEN:
		ppp_fsm_open(f, 1000);
		break;
	case PPP_FSM_EV_CLOSE:
		ppp_fsm_close(f, 1000, "bye");
		break;
	case PPP_FSM_EV_TO_P:
	case PPP_FSM_EV_TO_M:
		f->deadline = 1000;
		ppp_fsm_timeout(f, 1000);
		break;
	case PPP_FSM_EV_RCR_P:
		feed(f, "01 33 00 06 01 02");
		break;
	case PPP_FSM_EV_RCR_M:
		feed(f, "01 33 00 07 02 03 01");
		break;
	case PPP_FSM_EV_RCA:
		buf_writer_init(&w, ack, sizeof(ack));
		buf_put_u8(&w, PPP_CONFACK);
		buf_put_u8(&w, f->req_id);
		buf_put_u16(&w, (uint16_t)(PPP_HDR_LEN + f->req_len));
		buf_put_bytes(&w, f->req, f->req_len);
		ppp_fsm_input(f, 1000, ack, w.len);
		break;
	case PPP_FSM_EV_RCN:
		buf_writer_init(&w, ack, sizeof(ack));
		buf_put_u8(&w, PPP_CONFNAK);
		buf_put_u8(&w, f->req_id);
		buf_put_u16(&w, PPP_HDR_LEN);
		ppp_fsm_input(f, 1000, ack, w.len);
		break;
	case PPP_FSM_EV_RTR:
		feed(f, "05 44 00 04");
		break;
	case PPP_FSM_EV_RTA:
		feed(f, "06 45 00 04");
		break;
	case PPP_FSM_EV_RUC:
		feed(f, "20 46 00 05 aa");
		break;
	case PPP_FSM_EV_RXJ_P:
		feed(f, "07 47 00 08 09 01 00 04");
		break;
	case PPP_FSM_EV_RXJ_M:
		feed(f, "07 48 00 08 01 01 00 04");
		break;
	case PPP_FSM_EV_RXR:
		feed(f, "09 49 00 08 00 00 00 00");
		break;
	}
}

/* The code of the n-th packet sent, or -1. */
static int
sent_code(int n)
{
	return n < dum.nsent ? dum.sent[n][0] : -1;
}

static int
timer_state(int st)
{
	return st >= PPP_FSM_CLOSING && st <= PPP_FSM_ACKSENT;
}

/*
 * Puts the automaton in each state, raises each event through the real
 * entry points and checks the RFC's next state and the observable
 * effect of every action: packets sent (scr, sca, scn, str, sta, scj,
 * ser), callbacks (tlu, tld, tls, tlf), counters (irc, zrc) and timer.
 */
static void
test_every_transition(void)
{
	struct ppp_fsm f;

	for (int ev = 0; ev < PPP_FSM_NEVENTS; ev++) {
		for (int st = 0; st < PPP_FSM_NSTATES; st++) {
			unsigned a;
			int next = parse_cell(rfc_table[ev][st], &a);
			int start_count = ev == PPP_FSM_EV_TO_M ? 0 : 5;
			int want_count = start_count, n = 0;
			uint64_t before_deadline;

			setup(&f);
			f.state = st;
			f.restart_count = (uint32_t)start_count;
			f.deadline = timer_state(st) ? 4000 : PK_TIME_NEVER;
			before_deadline = f.deadline;
			raise_event(&f, ev);
			if (next < 0) {
				/* '-': nothing happens at all. */
				CHECK_INT(f.state, st);
				CHECK_INT(dum.nsent, 0);
				CHECK_INT(dum.tlu + dum.tld + dum.tls + dum.tlf,
				    0);
				continue;
			}
			if (f.state != next)
				fprintf(stderr, "%s in %s\n",
				    ppp_fsm_event_name(ev),
				    ppp_fsm_state_name(st));
			CHECK_INT(f.state, next);
			CHECK_INT(dum.tlu, (a & PPP_FSM_A_TLU) != 0);
			CHECK_INT(dum.tld, (a & PPP_FSM_A_TLD) != 0);
			/* tld with scr is a renegotiation; tld alone (Down,
			 * Close, RTR, RXJ-) is not. */
			CHECK_INT(dum.tld_reneg, (a & PPP_FSM_A_TLD) &&
			    (a & PPP_FSM_A_SCR));
			CHECK_INT(dum.tls, (a & PPP_FSM_A_TLS) != 0);
			CHECK_INT(dum.tlf, (a & PPP_FSM_A_TLF) != 0);
			CHECK_INT(dum.rxr, (a & PPP_FSM_A_SER) != 0);
			/* Packets, in the order the actions are listed. */
			if (a & PPP_FSM_A_SCR)
				CHECK_INT(sent_code(n++), PPP_CONFREQ);
			if (a & PPP_FSM_A_SCA)
				CHECK_INT(sent_code(n++), PPP_CONFACK);
			if (a & PPP_FSM_A_SCN)
				CHECK_INT(sent_code(n++), PPP_CONFNAK);
			if (a & PPP_FSM_A_STR)
				CHECK_INT(sent_code(n++), PPP_TERMREQ);
			if (a & PPP_FSM_A_STA)
				CHECK_INT(sent_code(n++), PPP_TERMACK);
			if (a & PPP_FSM_A_SCJ)
				CHECK_INT(sent_code(n++), PPP_CODEREJ);
			if (a & PPP_FSM_A_SER)
				CHECK_INT(sent_code(n++), LCP_ECHOREP);
			CHECK_INT(dum.nsent, n);
			/* Counters: irc loads Max-Configure (Max-Terminate
			 * towards Closing/Stopping); scr/str use one. */
			if (a & PPP_FSM_A_IRC)
				want_count = (next == PPP_FSM_CLOSING ||
				    next == PPP_FSM_STOPPING) ? 3 : 10;
			if (a & PPP_FSM_A_ZRC)
				want_count = 0;
			if (a & (PPP_FSM_A_SCR | PPP_FSM_A_STR))
				want_count--;
			if (ev == PPP_FSM_EV_TO_P || ev == PPP_FSM_EV_TO_M)
				want_count = start_count -
				    ((a & (PPP_FSM_A_SCR | PPP_FSM_A_STR)) ?
				    1 : 0);
			CHECK_INT(f.restart_count, want_count);
			/* Timer: (re)started by scr/str/zrc, stopped in
			 * states without TO events. */
			if (!timer_state(next))
				CHECK(f.deadline == PK_TIME_NEVER);
			else if (a & (PPP_FSM_A_SCR | PPP_FSM_A_STR |
			    PPP_FSM_A_ZRC))
				CHECK(f.deadline == 1000 + 3000);
			else if (ev != PPP_FSM_EV_TO_P &&
			    ev != PPP_FSM_EV_TO_M)
				CHECK(f.deadline == before_deadline);
		}
	}
}

/* Two automata wired back to back reach Opened. */
static void
test_negotiation_opens(void)
{
	struct ppp_fsm a;
	int i;

	setup(&a);
	ppp_fsm_open(&a, 0);
	ppp_fsm_lower_up(&a, 0);
	CHECK_INT(a.state, PPP_FSM_REQSENT);
	CHECK_INT(dum.resets, 1);
	CHECK_INT(dum.nsent, 1);
	CHECK_INT(sent_code(0), PPP_CONFREQ);
	/* Our request "01 02" under the id we chose. */
	CHECK_INT(dum.sent_len[0], 6);
	CHECK_INT(dum.sent[0][1], a.req_id);
	CHECK_INT(dum.sent[0][4], 1);
	/* The peer acks it, then sends its own request, which we ack. */
	raise_event(&a, PPP_FSM_EV_RCA);
	CHECK_INT(a.state, PPP_FSM_ACKRCVD);
	feed(&a, "01 07 00 06 01 02");
	CHECK_INT(a.state, PPP_FSM_OPENED);
	CHECK_INT(dum.tlu, 1);
	CHECK_INT(sent_code(1), PPP_CONFACK);
	CHECK_INT(dum.sent[1][1], 7);
	CHECK(a.deadline == PK_TIME_NEVER);
	/* Terminate from the peer: Stopping, then Stopped after one
	 * restart period (zrc). */
	feed(&a, "05 08 00 06 68 69");
	CHECK_INT(a.state, PPP_FSM_STOPPING);
	CHECK_STR(a.peer_reason, "hi");
	CHECK_INT(a.cause, PPP_FSM_CAUSE_PEER_TERM);
	i = dum.tlf;
	ppp_fsm_timeout(&a, 1000 + 2999);
	CHECK_INT(a.state, PPP_FSM_STOPPING);
	ppp_fsm_timeout(&a, 1000 + 3000);
	CHECK_INT(a.state, PPP_FSM_STOPPED);
	CHECK_INT(dum.tlf, i + 1);
}

/* Max-Configure requests go out, then TO- and This-Layer-Finished. */
static void
test_restart_counter(void)
{
	struct ppp_fsm f;
	uint64_t t = 0;

	setup(&f);
	ppp_fsm_open(&f, t);
	ppp_fsm_lower_up(&f, t);
	while (f.deadline != PK_TIME_NEVER && t < 100000) {
		t = f.deadline;
		ppp_fsm_timeout(&f, t);
	}
	CHECK_INT(dum.nsent, 10);
	CHECK_INT(f.state, PPP_FSM_STOPPED);
	CHECK_INT(dum.tlf, 1);
	CHECK_INT(f.cause, PPP_FSM_CAUSE_TIMEOUT);
	CHECK(t == 10 * 3000);
	/* RFC 1661 §5.1: unanswered and unchanged, the retransmissions
	 * keep the Identifier (MAY), so a late answer still counts. */
	for (int i = 1; i < 10; i++)
		CHECK_INT(dum.sent[i][1], dum.sent[0][1]);

	/* Close from Opened: Max-Terminate Terminate-Requests. */
	setup(&f);
	f.state = PPP_FSM_OPENED;
	ppp_fsm_close(&f, 0, "admin");
	t = 0;
	while (f.deadline != PK_TIME_NEVER && t < 100000) {
		t = f.deadline;
		ppp_fsm_timeout(&f, t);
	}
	CHECK_INT(dum.nsent, 3);
	CHECK_INT(sent_code(0), PPP_TERMREQ);
	CHECK_INT(dum.sent_len[0], 4 + 5);
	CHECK_MEM(dum.sent[0] + 4, "admin", 5);
	CHECK_INT(f.state, PPP_FSM_CLOSED);
	CHECK_INT(dum.tld, 1);
	CHECK_INT(dum.tlf, 1);
	CHECK_INT(f.cause, PPP_FSM_CAUSE_CLOSE);
}

/* A peer that keeps sending the option we Nak gets a Reject after
 * Max-Failure Naks (RFC 1661 §4.6). */
static void
test_nak_loop_bounded(void)
{
	static const uint8_t nak[] = { 0x03, 0x20, 0x00, 0x07, 0x02, 0x03,
	    0x07 };
	static const uint8_t rej[] = { 0x04, 0x20, 0x00, 0x07, 0x02, 0x03,
	    0x01 };
	struct ppp_fsm f;
	int i;

	setup(&f);
	ppp_fsm_open(&f, 0);
	ppp_fsm_lower_up(&f, 0);
	for (i = 0; i < 5; i++) {
		dum.nsent = 0;
		feed(&f, "01 20 00 07 02 03 01");
		CHECK_INT(dum.nsent, 1);
		CHECK_MEM(dum.sent[0], nak, sizeof(nak));
	}
	dum.nsent = 0;
	feed(&f, "01 20 00 07 02 03 01");
	CHECK_INT(dum.nsent, 1);
	CHECK_INT(dum.sent_len[0], sizeof(rej));
	CHECK_MEM(dum.sent[0], rej, sizeof(rej));
	/* An acceptable request is acked and resets the budget. */
	dum.nsent = 0;
	feed(&f, "01 21 00 06 01 02");
	CHECK_INT(sent_code(0), PPP_CONFACK);
	CHECK_INT(f.state, PPP_FSM_ACKSENT);
	CHECK_INT(f.naks_sent, 0);
	dum.nsent = 0;
	feed(&f, "01 22 00 07 02 03 01");
	CHECK_INT(sent_code(0), PPP_CONFNAK);
}

/* Rejects are built from the original options, Naks from ours, and a
 * request with both gets only the Reject (RFC 1661 §5.3-§5.4). */
static void
test_reply_composition(void)
{
	static const uint8_t rej[] = { 0x04, 0x30, 0x00, 0x09, 0x05, 0x03,
	    0xaa, 0x09, 0x02 };
	struct ppp_fsm f;

	setup(&f);
	ppp_fsm_open(&f, 0);
	ppp_fsm_lower_up(&f, 0);
	dum.nsent = 0;
	/* Ackable 01, unknown 05 and 09, Nak'able 02: only the two
	 * unknown options come back, in order, unmodified. */
	feed(&f, "01 30 00 0e 01 02 05 03 aa 02 03 01 09 02");
	CHECK_INT(dum.nsent, 1);
	CHECK_INT(dum.sent_len[0], sizeof(rej));
	CHECK_MEM(dum.sent[0], rej, sizeof(rej));
	CHECK_INT(f.state, PPP_FSM_REQSENT);
}

struct bad_case {
	const char *hex;
	int err;
};

static void
test_malformed(void)
{
	static const struct bad_case cases[] = {
		{ "", PK_ERR_SHORT },
		{ "01 01 00", PK_ERR_SHORT },
		{ "01 01 00 03", PK_ERR_LENGTH },	/* Length < 4 */
		{ "01 01 00 09 01 02", PK_ERR_LENGTH },	/* past end */
		{ "01 01 00 06 01 00", PK_ERR_LENGTH },	/* opt len 0 */
		{ "01 01 00 06 01 01", PK_ERR_LENGTH },	/* opt len 1 */
		{ "01 01 00 07 01 04 00", PK_ERR_LENGTH },	/* opt past */
		{ "01 01 00 05 01", PK_ERR_SHORT },	/* lone type */
		{ "02 99 00 06 01 02", PK_ERR_VALUE },	/* Ack, wrong id */
		{ "04 99 00 04", PK_ERR_VALUE },	/* Rej, wrong id */
		{ "07 01 00 04", PK_ERR_SHORT },	/* empty Code-Rej */
	};
	struct ppp_fsm f;
	uint8_t pkt[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n;

		setup(&f);
		ppp_fsm_open(&f, 0);
		ppp_fsm_lower_up(&f, 0);
		dum.nsent = 0;
		n = test_unhex(cases[i].hex, pkt, sizeof(pkt));
		CHECK_INT(ppp_fsm_input(&f, 0, pkt, n), cases[i].err);
		CHECK_INT(dum.nsent, 0);
		CHECK_INT(f.state, PPP_FSM_REQSENT);
	}
	/* Padding beyond Length is ignored (RFC 1661 §5). */
	setup(&f);
	ppp_fsm_open(&f, 0);
	ppp_fsm_lower_up(&f, 0);
	dum.nsent = 0;
	CHECK_INT(ppp_fsm_input(&f, 0, (const uint8_t *)"\x01\x05\x00\x06"
	    "\x01\x02\xff\xff", 8), 0);
	CHECK_INT(sent_code(0), PPP_CONFACK);
	CHECK_INT(dum.sent_len[0], 6);
}

/* Ack must echo our request exactly; Reject only what we asked. */
static void
test_answers_checked(void)
{
	struct ppp_fsm f;
	uint8_t pkt[32];
	size_t n;

	setup(&f);
	ppp_fsm_open(&f, 0);
	ppp_fsm_lower_up(&f, 0);
	n = test_unhex("02 00 00 06 01 03", pkt, sizeof(pkt));
	pkt[1] = f.req_id;
	CHECK_INT(ppp_fsm_input(&f, 0, pkt, n), PK_ERR_VALUE);
	CHECK_INT(f.state, PPP_FSM_REQSENT);
	n = test_unhex("04 00 00 06 05 02", pkt, sizeof(pkt));
	pkt[1] = f.req_id;
	CHECK_INT(ppp_fsm_input(&f, 0, pkt, n), PK_ERR_VALUE);
	CHECK_INT(dum.rejs_seen, 0);
	n = test_unhex("04 00 00 06 01 02", pkt, sizeof(pkt));
	pkt[1] = f.req_id;
	CHECK_INT(ppp_fsm_input(&f, 0, pkt, n), 0);
	CHECK_INT(dum.rejs_seen, 1);
}

/* Code-Reject carries the rejected packet, cut to the peer's MRU. */
static void
test_code_reject_truncated(void)
{
	struct ppp_fsm f;
	uint8_t pkt[300];

	setup(&f);
	ppp_fsm_open(&f, 0);
	ppp_fsm_lower_up(&f, 0);
	f.peer_mru = 100;
	memset(pkt, 0x5a, sizeof(pkt));
	pkt[0] = 0x30;
	pkt[1] = 0x01;
	pkt[2] = 0x01;
	pkt[3] = 0x2c;		/* 300 */
	dum.nsent = 0;
	CHECK_INT(ppp_fsm_input(&f, 0, pkt, sizeof(pkt)), 0);
	CHECK_INT(sent_code(0), PPP_CODEREJ);
	CHECK_INT(dum.sent_len[0], 100);
	CHECK_MEM(dum.sent[0] + 4, pkt, 96);
}

/* A peer that Naks every request gets us to give up eventually. */
static void
test_received_naks_bounded(void)
{
	struct ppp_fsm f;
	int i;

	setup(&f);
	ppp_fsm_open(&f, 0);
	ppp_fsm_lower_up(&f, 0);
	for (i = 0; i < 40 && f.state == PPP_FSM_REQSENT; i++)
		raise_event(&f, PPP_FSM_EV_RCN);
	CHECK_INT(i, 2 * 5 + 2);
	CHECK_INT(f.state, PPP_FSM_CLOSING);
	CHECK_INT(f.cause, PPP_FSM_CAUSE_TIMEOUT);
}

/* Brings a fresh automaton to Opened: our request acked, the peer's
 * "01 02" acked. */
static void
open_fsm(struct ppp_fsm *f)
{
	setup(f);
	ppp_fsm_open(f, 0);
	ppp_fsm_lower_up(f, 0);
	raise_event(f, PPP_FSM_EV_RCA);
	feed(f, "01 07 00 06 01 02");
	CHECK_INT(f->state, PPP_FSM_OPENED);
	dum.nsent = 0;
}

/* An answer with our request's Identifier, code and options given. */
static int
answer(struct ppp_fsm *f, uint8_t code, uint8_t id)
{
	uint8_t pkt[PPP_HDR_LEN + PPP_FSM_REQ_MAX];
	struct buf_writer w;

	buf_writer_init(&w, pkt, sizeof(pkt));
	buf_put_u8(&w, code);
	buf_put_u8(&w, id);
	buf_put_u16(&w, (uint16_t)(PPP_HDR_LEN + f->req_len));
	buf_put_bytes(&w, f->req, f->req_len);
	return ppp_fsm_input(f, 1000, pkt, w.len);
}

/*
 * RFC 1661 §4.3 RCA/RCN: an out-of-sequence answer is silently discarded:
 * one with an earlier request's Identifier (late), and a second answer to
 * a request already answered (duplicate). Neither moves the automaton
 * nor sends anything, in any state that expects answers.
 */
static void
test_stale_answers_discarded(void)
{
	struct ppp_fsm f;
	uint8_t first;

	/* Req-Sent: an answer to the previous request (Nak'd, so the next
	 * one has a new Identifier). */
	setup(&f);
	ppp_fsm_open(&f, 0);
	ppp_fsm_lower_up(&f, 0);
	first = f.req_id;
	CHECK_INT(answer(&f, PPP_CONFNAK, first), 0);
	CHECK(f.req_id != first);
	dum.nsent = 0;
	dum.naks_seen = 0;
	CHECK_INT(answer(&f, PPP_CONFACK, first), PK_ERR_VALUE);
	CHECK_INT(answer(&f, PPP_CONFNAK, first), PK_ERR_VALUE);
	CHECK_INT(answer(&f, PPP_CONFREJ, first), PK_ERR_VALUE);
	CHECK_INT(f.state, PPP_FSM_REQSENT);
	CHECK_INT(dum.nsent, 0);
	CHECK_INT(dum.naks_seen + dum.rejs_seen, 0);
	/* Ack-Rcvd: the Ack again would restart negotiation (scr/6x). */
	CHECK_INT(answer(&f, PPP_CONFACK, f.req_id), 0);
	CHECK_INT(f.state, PPP_FSM_ACKRCVD);
	CHECK_INT(answer(&f, PPP_CONFACK, f.req_id), PK_ERR_VALUE);
	CHECK_INT(answer(&f, PPP_CONFNAK, f.req_id), PK_ERR_VALUE);
	CHECK_INT(f.state, PPP_FSM_ACKRCVD);
	CHECK_INT(dum.nsent, 0);

	/* A Nak processed once: its duplicate would send a second new
	 * request. */
	setup(&f);
	ppp_fsm_open(&f, 0);
	ppp_fsm_lower_up(&f, 0);
	first = f.req_id;
	dum.nsent = 0;
	CHECK_INT(answer(&f, PPP_CONFNAK, first), 0);
	CHECK_INT(dum.nsent, 1);
	CHECK_INT(answer(&f, PPP_CONFNAK, first), PK_ERR_VALUE);
	CHECK_INT(dum.nsent, 1);
	CHECK_INT(dum.naks_seen, 1);

	/* Opened: neither renegotiates (tld,scr/6x would). */
	open_fsm(&f);
	CHECK_INT(answer(&f, PPP_CONFACK, f.req_id), PK_ERR_VALUE);
	CHECK_INT(answer(&f, PPP_CONFNAK, f.req_id), PK_ERR_VALUE);
	CHECK_INT(answer(&f, PPP_CONFREJ, (uint8_t)(f.req_id - 1)),
	    PK_ERR_VALUE);
	CHECK_INT(f.state, PPP_FSM_OPENED);
	CHECK_INT(dum.nsent, 0);
	CHECK_INT(dum.tld, 0);
}

/*
 * Retransmissions and their duplicates (RFC 1661 §5.1): our unanswered,
 * unchanged request keeps its Identifier, so an answer to any copy
 * counts; changed options or a reply received give a new one. In
 * Opened, a copy of the request we acked (same Identifier and options)
 * is answered with the Ack again and changes nothing; the same options
 * under another Identifier are a new negotiation.
 */
static void
test_retransmissions(void)
{
	struct ppp_fsm f;
	uint8_t id;

	setup(&f);
	ppp_fsm_open(&f, 0);
	ppp_fsm_lower_up(&f, 0);
	id = f.req_id;
	f.deadline = 0;
	ppp_fsm_timeout(&f, 3000);
	CHECK_INT(f.req_id, id);
	CHECK_INT(dum.sent[1][1], id);
	/* The Ack of the first copy arrives after the second went out. */
	CHECK_INT(answer(&f, PPP_CONFACK, id), 0);
	CHECK_INT(f.state, PPP_FSM_ACKRCVD);
	/* Ack-Rcvd times out: a reply came, so a new Identifier. */
	f.deadline = 0;
	ppp_fsm_timeout(&f, 6000);
	CHECK_INT(f.state, PPP_FSM_REQSENT);
	CHECK(f.req_id != id);
	/* Changed options: a new Identifier too. */
	id = f.req_id;
	dum.want[0] = 3;
	f.deadline = 0;
	ppp_fsm_timeout(&f, 9000);
	CHECK(f.req_id != id);

	/* Opened: the acked request again, twice. */
	open_fsm(&f);
	for (int i = 0; i < 2; i++) {
		dum.nsent = 0;
		feed(&f, "01 07 00 06 01 02");
		CHECK_INT(f.state, PPP_FSM_OPENED);
		CHECK_INT(dum.nsent, 1);
		CHECK_INT(sent_code(0), PPP_CONFACK);
		CHECK_INT(dum.sent[0][1], 7);
		CHECK_INT(dum.sent_len[0], 6);
		CHECK_INT(dum.tld, 0);
	}
	/* Same Identifier, other options: not a copy; renegotiate. */
	dum.nsent = 0;
	feed(&f, "01 07 00 08 01 02 01 02");
	CHECK_INT(f.state, PPP_FSM_ACKSENT);
	CHECK_INT(dum.tld, 1);
}

/*
 * A Configure-Request in Opened (a peer that wants to renegotiate, or a
 * late copy the peer renumbered) renegotiates: tld, scr, sca / Ack-Sent,
 * and the layer above is told it is a renegotiation. ppp_fsm_restart()
 * is the Open event's restart option: Down, then Up.
 */
static void
test_renegotiation(void)
{
	struct ppp_fsm f;

	open_fsm(&f);
	dum.resets = 0;
	feed(&f, "01 08 00 06 01 02");
	CHECK_INT(f.state, PPP_FSM_ACKSENT);
	/* One fresh negotiation, begun before the request was judged. */
	CHECK_INT(dum.resets, 1);
	CHECK_INT(dum.resets_seen_by_req, 1);
	CHECK_INT(f.reset_done, 0);
	CHECK_INT(dum.tld, 1);
	CHECK_INT(dum.tld_reneg, 1);
	CHECK_INT(dum.nsent, 2);
	CHECK_INT(sent_code(0), PPP_CONFREQ);
	CHECK_INT(sent_code(1), PPP_CONFACK);
	CHECK_INT(dum.sent[1][1], 8);
	CHECK_INT(f.restart_count, 9);
	CHECK(f.deadline == 1000 + 3000);
	/* It converges like the first negotiation did. */
	CHECK_INT(answer(&f, PPP_CONFACK, f.req_id), 0);
	CHECK_INT(f.state, PPP_FSM_OPENED);
	CHECK_INT(dum.tlu, 2);

	/* Restart: tld (renegotiating), then a fresh request. */
	open_fsm(&f);
	CHECK_INT(ppp_fsm_restart(&f, 5000), 0);
	CHECK_INT(f.state, PPP_FSM_REQSENT);
	CHECK_INT(dum.tld, 1);
	CHECK_INT(dum.tld_reneg, 1);
	CHECK_INT(dum.nsent, 1);
	CHECK_INT(sent_code(0), PPP_CONFREQ);
	CHECK_INT(f.restart_count, 9);
	CHECK(f.deadline == 5000 + 3000);
	CHECK_INT(f.cause, PPP_FSM_CAUSE_NONE);
	CHECK_INT(ppp_fsm_renegotiating(&f), 0);
	/* Only an Opened automaton restarts. */
	for (int st = 0; st < PPP_FSM_NSTATES; st++) {
		if (st == PPP_FSM_OPENED)
			continue;
		setup(&f);
		f.state = st;
		CHECK_INT(ppp_fsm_restart(&f, 0), PK_ERR_STATE);
		CHECK_INT(f.state, st);
		CHECK_INT(dum.nsent, 0);
	}
}

int
main(void)
{
	pk_log_set_level(PK_LOG_ERR);
	RUN(test_table_matches_rfc);
	RUN(test_every_transition);
	RUN(test_negotiation_opens);
	RUN(test_restart_counter);
	RUN(test_nak_loop_bounded);
	RUN(test_reply_composition);
	RUN(test_malformed);
	RUN(test_answers_checked);
	RUN(test_code_reject_truncated);
	RUN(test_received_naks_bounded);
	RUN(test_stale_answers_discarded);
	RUN(test_retransmissions);
	RUN(test_renegotiation);
	TEST_MAIN_END();
}
