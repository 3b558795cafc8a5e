/* rtnl.c - rtnetlink requests over libmnl (see rtnl.h). */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "core/err.h"
#include "glue/rtnl.h"

int
nl_open(struct nl *nl)
{
	memset(nl, 0, sizeof(*nl));
	nl->sock = mnl_socket_open(NETLINK_ROUTE);
	if (nl->sock == NULL)
		return PK_ERR_SYS;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		mnl_socket_close(nl->sock);
		nl->sock = NULL;
		errno = e;
		return PK_ERR_SYS;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	return PK_OK;
}

void
nl_close(struct nl *nl)
{
	if (nl != NULL && nl->sock != NULL) {
		mnl_socket_close(nl->sock);
		nl->sock = NULL;
	}
}

/*
 * Sends one request and runs the reply through cb until the kernel's ack
 * (or error) arrives. mnl_cb_run returns -1 with errno from an error ack.
 */
static int
nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *arg)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint32_t seq = ++nl->seq;
	int ret;

	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return PK_ERR_SYS;
	for (;;) {
		ret = (int)mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (ret < 0)
			return PK_ERR_SYS;
		ret = mnl_cb_run(buf, (size_t)ret, seq, nl->portid, cb, arg);
		if (ret < 0)
			return PK_ERR_SYS;
		if (ret == MNL_CB_STOP)
			return PK_OK;
	}
}

int
nl_link_up(struct nl *nl, int ifindex, int mtu)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	if (mtu > 0)
		mnl_attr_put_u32(nlh, IFLA_MTU, (uint32_t)mtu);
	return nl_talk(nl, nlh, NULL, NULL);
}

int
nl_addr_add_ptp(struct nl *nl, int ifindex, uint32_t local, uint32_t peer)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE |
	    NLM_F_ACK;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 32;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned)ifindex;
	/* IFA_LOCAL is our address, IFA_ADDRESS the far end of the link:
	 * the kernel then routes the peer's /32 through this interface. */
	mnl_attr_put_u32(nlh, IFA_LOCAL, local);
	mnl_attr_put_u32(nlh, IFA_ADDRESS, peer);
	return nl_talk(nl, nlh, NULL, NULL);
}

int
nl_addr6_add_linklocal(struct nl *nl, int ifindex, const uint8_t ifid[8])
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	uint8_t addr[16] = { 0xfe, 0x80 };

	memcpy(addr + 8, ifid, 8);
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE |
	    NLM_F_ACK;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET6;
	ifa->ifa_prefixlen = 64;
	ifa->ifa_scope = RT_SCOPE_LINK;
	ifa->ifa_flags = IFA_F_NODAD;
	ifa->ifa_index = (unsigned)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(addr), addr);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(addr), addr);
	return nl_talk(nl, nlh, NULL, NULL);
}

static int
route_msg(struct nl *nl, int type, uint32_t dst, int plen, uint32_t gw,
    int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;

	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (type == RTM_NEWROUTE)
		nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_REPLACE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = (unsigned char)plen;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = gw != 0 ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put_u32(nlh, RTA_DST, dst);
	if (gw != 0)
		mnl_attr_put_u32(nlh, RTA_GATEWAY, gw);
	if (ifindex > 0)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	return nl_talk(nl, nlh, NULL, NULL);
}

int
nl_route_add(struct nl *nl, uint32_t dst, int plen, uint32_t gw, int ifindex)
{
	return route_msg(nl, RTM_NEWROUTE, dst, plen, gw, ifindex);
}

int
nl_route_del(struct nl *nl, uint32_t dst, int plen, uint32_t gw, int ifindex)
{
	return route_msg(nl, RTM_DELROUTE, dst, plen, gw, ifindex);
}

struct route_answer {
	uint32_t gw;
	int ifindex;
	int found;
};

static int
route_attr_cb(const struct nlattr *attr, void *data)
{
	struct route_answer *ans = data;

	switch (mnl_attr_get_type(attr)) {
	case RTA_GATEWAY:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			ans->gw = mnl_attr_get_u32(attr);
		break;
	case RTA_OIF:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			ans->ifindex = (int)mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

static int
route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct route_answer *ans = data;

	ans->found = 1;
	mnl_attr_parse(nlh, sizeof(struct rtmsg), route_attr_cb, data);
	return MNL_CB_OK;
}

int
nl_route_get(struct nl *nl, uint32_t dst, uint32_t *gw, int *ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct route_answer ans = { 0, 0, 0 };
	struct rtmsg *rtm;
	int r;

	nlh->nlmsg_type = RTM_GETROUTE;
	/* With the ack the reply ends in NLMSG_ERROR 0, which is what
	 * nl_talk() waits for; without it, it would wait for ever. */
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 32;
	mnl_attr_put_u32(nlh, RTA_DST, dst);
	if ((r = nl_talk(nl, nlh, route_cb, &ans)) != 0)
		return r;
	if (!ans.found) {
		errno = ENETUNREACH;
		return PK_ERR_SYS;
	}
	*gw = ans.gw;
	*ifindex = ans.ifindex;
	return PK_OK;
}
