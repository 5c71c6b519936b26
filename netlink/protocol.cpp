#include "protocol.hpp"

#include <linux/netlink.h>
#include <net/if.h>

namespace isthmus::netlink {

std::string to_string(Op op) {
    switch (op) {
        case Op::add: return "add";
        case Op::replace: return "replace";
        case Op::remove: return "delete";
    }
    return "?";
}

uint16_t request_flags(Op op) {
    switch (op) {
        case Op::add: return NLM_F_CREATE | NLM_F_EXCL;
        case Op::replace: return NLM_F_CREATE | NLM_F_REPLACE;
        case Op::remove: return 0;
    }
    return 0;
}

std::string interface_text(uint32_t ifindex) {
    char name[IF_NAMESIZE] = {};
    if (ifindex != 0 && if_indextoname(ifindex, name)) return name;
    return "ifindex " + std::to_string(ifindex);
}

}  // namespace isthmus::netlink
