// SPDX-License-Identifier: GPL-2.0
/*
 * ipmp.ko: IP Network Multipathing groups as netdevices.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>
#include "ipmp.h"

static int ipmp_validate(struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		NL_SET_ERR_MSG(extack, "an IPMP group has no address of its own");
		return -EINVAL;
	}
	return 0;
}

static int ipmp_newlink(struct net_device *dev,
			struct rtnl_newlink_params *params,
			struct netlink_ext_ack *extack)
{
	return ipmp_group_register(dev, NULL, extack);
}

RTNL_NEWLINK_COMPAT(ipmp_newlink);

struct rtnl_link_ops ipmp_link_ops __read_mostly = {
	.kind		= "ipmp",
	.priv_size	= sizeof(struct ipmp_group),
	.setup		= ipmp_setup,
	.validate	= ipmp_validate,
	.newlink	= rtnl_newlink_op(ipmp_newlink),
};

static int __init ipmp_module_init(void)
{
	int err;

	err = register_netdevice_notifier(&ipmp_netdev_notifier);
	if (err)
		return err;
	err = ipmp_addr_init();
	if (err)
		goto err_notifier;
	err = rtnl_link_register(&ipmp_link_ops);
	if (err)
		goto err_addr;
	err = ipmp_genl_init();
	if (err)
		goto err_link;
	pr_info("IP Network Multipathing loaded\n");
	return 0;

err_link:
	rtnl_link_unregister(&ipmp_link_ops);
err_addr:
	ipmp_addr_exit();
err_notifier:
	unregister_netdevice_notifier(&ipmp_netdev_notifier);
	return err;
}

static void __exit ipmp_module_exit(void)
{
	ipmp_genl_exit();
	rtnl_link_unregister(&ipmp_link_ops);
	ipmp_addr_exit();
	unregister_netdevice_notifier(&ipmp_netdev_notifier);
	rcu_barrier();
}

module_init(ipmp_module_init);
module_exit(ipmp_module_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("IP Network Multipathing (IPMP) groups");
MODULE_AUTHOR("The ipmp for Linux developers");
MODULE_ALIAS_RTNL_LINK("ipmp");
MODULE_ALIAS_GENL_FAMILY(IPMP_GENL_NAME);
