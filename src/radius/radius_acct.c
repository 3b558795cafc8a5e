/*
 * radius_acct.c - Accounting-Request records, Acct-Session-Ids and
 * Acct-Terminate-Cause (see radius_acct.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/rand.h"
#include "radius/radius_acct.h"

uint32_t
radius_acct_terminate_cause(int end)
{
	switch (end) {
	case RADIUS_END_USER_REQUEST:	return RADIUS_TERM_USER_REQUEST;
	case RADIUS_END_LOST_CARRIER:	return RADIUS_TERM_LOST_CARRIER;
	case RADIUS_END_IDLE_TIMEOUT:	return RADIUS_TERM_IDLE_TIMEOUT;
	case RADIUS_END_SESSION_TIMEOUT: return RADIUS_TERM_SESSION_TIMEOUT;
	case RADIUS_END_ADMIN_KILL:	return RADIUS_TERM_ADMIN_RESET;
	case RADIUS_END_SHUTDOWN:	return RADIUS_TERM_NAS_REBOOT;
	case RADIUS_END_REPLACED:	return RADIUS_TERM_PORT_PREEMPTED;
	case RADIUS_END_NAS_REQUEST:	return RADIUS_TERM_NAS_REQUEST;
	case RADIUS_END_PORT_ERROR:	return RADIUS_TERM_PORT_ERROR;
	case RADIUS_END_NAS_ERROR:	return RADIUS_TERM_NAS_ERROR;
	case RADIUS_END_SERVICE_UNAVAILABLE:
		return RADIUS_TERM_SERVICE_UNAVAILABLE;
	}
	return RADIUS_TERM_NAS_ERROR;
}

int
radius_end_from_call_down(int code)
{
	switch (code) {
	case PK_OK:
	case PK_ERR_CLOSED:
		return RADIUS_END_USER_REQUEST;
	case PK_ERR_TIMEOUT:
		return RADIUS_END_LOST_CARRIER;
	case PK_ERR_NOMEM:
	case PK_ERR_INTERNAL:
	case PK_ERR_SYS:
		return RADIUS_END_NAS_ERROR;
	}
	return RADIUS_END_PORT_ERROR;
}

const char *
radius_end_name(int end)
{
	switch (end) {
	case RADIUS_END_USER_REQUEST:	return "User-Request";
	case RADIUS_END_LOST_CARRIER:	return "Lost-Carrier";
	case RADIUS_END_IDLE_TIMEOUT:	return "Idle-Timeout";
	case RADIUS_END_SESSION_TIMEOUT: return "Session-Timeout";
	case RADIUS_END_ADMIN_KILL:	return "Admin-Reset";
	case RADIUS_END_SHUTDOWN:	return "NAS-Reboot";
	case RADIUS_END_REPLACED:	return "Port-Preempted";
	case RADIUS_END_NAS_REQUEST:	return "NAS-Request";
	case RADIUS_END_PORT_ERROR:	return "Port-Error";
	case RADIUS_END_NAS_ERROR:	return "NAS-Error";
	case RADIUS_END_SERVICE_UNAVAILABLE: return "Service-Unavailable";
	}
	return "unknown";
}

static int
put_opt_text(struct buf_writer *w, uint8_t type, const char *s)
{
	return s[0] == '\0' ? PK_OK : radius_put_text(w, type, s);
}

/* RFC 2869 §5.1/§5.2: the low 32 bits and the times 2^32 overflowed. */
static int
put_octets(struct buf_writer *w, uint8_t type, uint8_t giga_type,
    uint64_t n)
{
	int r;

	if ((r = radius_put_u32(w, type, (uint32_t)n)) != 0)
		return r;
	if (n >> 32 != 0)
		r = radius_put_u32(w, giga_type, (uint32_t)(n >> 32));
	return r;
}

static int
put_session(struct buf_writer *w, const struct radius_acct_record *rec)
{
	const struct radius_call *call = &rec->call;
	int r;

	if ((r = put_opt_text(w, RADIUS_ATTR_USER_NAME, call->user)) != 0 ||
	    (r = radius_put_u32(w, RADIUS_ATTR_NAS_PORT,
	    call->nas_port)) != 0 ||
	    (r = radius_put_u32(w, RADIUS_ATTR_NAS_PORT_TYPE,
	    RADIUS_NAS_PORT_TYPE_VIRTUAL)) != 0 ||
	    (r = radius_put_u32(w, RADIUS_ATTR_SERVICE_TYPE,
	    RADIUS_SERVICE_FRAMED)) != 0 ||
	    (r = radius_put_u32(w, RADIUS_ATTR_FRAMED_PROTOCOL,
	    RADIUS_FRAMED_PROTOCOL_PPP)) != 0 ||
	    (r = put_opt_text(w, RADIUS_ATTR_CALLING_STATION_ID,
	    call->calling_station_id)) != 0 ||
	    (r = put_opt_text(w, RADIUS_ATTR_CALLED_STATION_ID,
	    call->called_station_id)) != 0 ||
	    (r = put_opt_text(w, RADIUS_ATTR_ACCT_MULTI_SESSION_ID,
	    rec->multi_session_id)) != 0)
		return r;
	if (rec->framed_ip != 0 && (r = radius_put_u32(w,
	    RADIUS_ATTR_FRAMED_IP_ADDRESS, rec->framed_ip)) != 0)
		return r;
	if (rec->authentic != 0 && (r = radius_put_u32(w,
	    RADIUS_ATTR_ACCT_AUTHENTIC, (uint32_t)rec->authentic)) != 0)
		return r;
	if (rec->attrs != NULL) {
		for (size_t i = 0; i < rec->attrs->n_classes &&
		    i < RADIUS_CLASS_MAX; i++)
			if ((r = radius_put_attr(w, RADIUS_ATTR_CLASS,
			    rec->attrs->classes[i].data,
			    rec->attrs->classes[i].len)) != 0)
				return r;
	}
	return PK_OK;
}

static int
put_counters(struct buf_writer *w, const struct radius_acct_record *rec)
{
	int r;

	if ((r = put_octets(w, RADIUS_ATTR_ACCT_INPUT_OCTETS,
	    RADIUS_ATTR_ACCT_INPUT_GIGAWORDS, rec->in_octets)) != 0 ||
	    (r = put_octets(w, RADIUS_ATTR_ACCT_OUTPUT_OCTETS,
	    RADIUS_ATTR_ACCT_OUTPUT_GIGAWORDS, rec->out_octets)) != 0 ||
	    (r = radius_put_u32(w, RADIUS_ATTR_ACCT_INPUT_PACKETS,
	    (uint32_t)rec->in_packets)) != 0 ||
	    (r = radius_put_u32(w, RADIUS_ATTR_ACCT_OUTPUT_PACKETS,
	    (uint32_t)rec->out_packets)) != 0)
		return r;
	return radius_put_u32(w, RADIUS_ATTR_ACCT_SESSION_TIME,
	    rec->session_time);
}

int
radius_acct_request(struct radius_request *rq, const struct radius_nas *nas,
    const struct radius_acct_record *rec)
{
	const char *sid = rec->call.acct_session_id;
	int onoff, r;
	struct buf_writer w;

	radius_request_init(rq, RADIUS_CODE_ACCOUNTING_REQUEST);
	switch (rec->status) {
	case RADIUS_ACCT_STATUS_START:
		rq->prio = RADIUS_PRIO_START;
		break;
	case RADIUS_ACCT_STATUS_INTERIM_UPDATE:
		rq->prio = RADIUS_PRIO_INTERIM;
		break;
	case RADIUS_ACCT_STATUS_STOP:
		rq->prio = RADIUS_PRIO_STOP;
		break;
	case RADIUS_ACCT_STATUS_ACCOUNTING_ON:
	case RADIUS_ACCT_STATUS_ACCOUNTING_OFF:
		rq->prio = RADIUS_PRIO_ONOFF;
		break;
	default:
		return PK_ERR_ARG;
	}
	onoff = rq->prio == RADIUS_PRIO_ONOFF;
	if ((nas->ip == 0 && nas->identifier[0] == '\0') ||
	    memchr(sid, '\0', sizeof(rec->call.acct_session_id)) == NULL ||
	    (!onoff && sid[0] == '\0') ||
	    (rec->status == RADIUS_ACCT_STATUS_STOP &&
	    rec->terminate_cause == 0))
		return PK_ERR_ARG;
	rq->add_delay_time = 1;
	if (!onoff)
		snprintf(rq->key, sizeof(rq->key), "%s", sid);
	radius_request_writer(rq, &w);
	if ((r = radius_put_u32(&w, RADIUS_ATTR_ACCT_STATUS_TYPE,
	    (uint32_t)rec->status)) != 0)
		return r;
	if (nas->ip != 0 && (r = radius_put_u32(&w,
	    RADIUS_ATTR_NAS_IP_ADDRESS, nas->ip)) != 0)
		return r;
	if ((r = put_opt_text(&w, RADIUS_ATTR_NAS_IDENTIFIER,
	    nas->identifier)) != 0 ||
	    (r = put_opt_text(&w, RADIUS_ATTR_ACCT_SESSION_ID, sid)) != 0)
		return r;
	if (!onoff && (r = put_session(&w, rec)) != 0)
		return r;
	if ((rec->status == RADIUS_ACCT_STATUS_INTERIM_UPDATE ||
	    rec->status == RADIUS_ACCT_STATUS_STOP) &&
	    (r = put_counters(&w, rec)) != 0)
		return r;
	if (rec->status == RADIUS_ACCT_STATUS_STOP &&
	    (r = radius_put_u32(&w, RADIUS_ATTR_ACCT_TERMINATE_CAUSE,
	    rec->terminate_cause)) != 0)
		return r;
	if (rec->event_timestamp != 0 && (r = radius_put_u32(&w,
	    RADIUS_ATTR_EVENT_TIMESTAMP, rec->event_timestamp)) != 0)
		return r;
	return radius_request_commit(rq, &w);
}

void
radius_sid_init(struct radius_sid_gen *g, uint64_t unix_now)
{
	g->boot = (uint32_t)unix_now;
	g->random = pk_rand_u32();
	g->counter = 0;
}

void
radius_sid_next(struct radius_sid_gen *g,
    char out[RADIUS_ACCT_SESSION_ID_MAX + 1])
{
	g->counter++;
	snprintf(out, RADIUS_ACCT_SESSION_ID_MAX + 1, "%08X%08X%08X",
	    g->boot, g->random, g->counter);
}
