// "ldp": discovery, sessions and label distribution (RFC 5036).
#include "sections.hpp"

namespace isthmus::config::detail {

namespace {

// Hello timers: the interval must be shorter than the hold time, or adjacencies flap.
void parse_hello_timers(const ObjectNode& o, Seconds& interval, Seconds& hold) {
    bool interval_ok = o.read_int("hello-interval", interval, 1, 65535);
    bool hold_ok = o.read_int("hello-hold-time", hold, 3, 65535);
    bool interval_bad = o.has("hello-interval") && !interval_ok;
    bool hold_bad = o.has("hello-hold-time") && !hold_ok;
    if (interval_bad || hold_bad || interval < hold) return;
    // Only reachable when the user wrote one of them (the defaults are consistent); blame that one.
    auto where = o.get(interval_ok ? "hello-interval" : "hello-hold-time");
    where->error("hello-interval " + std::to_string(interval.count()) + " must be less than hello-hold-time " +
                 std::to_string(hold.count()));
}

std::vector<LdpInterface> parse_interfaces(const ObjectNode& ldp) {
    std::vector<LdpInterface> out;
    std::vector<std::pair<std::string, std::string>> seen;  // name, path of its entry
    for (const auto& item : array_items(ldp, "interfaces")) {
        LdpInterface i;
        if (auto o = ObjectNode::open(item, {"name", "hello-interval", "hello-hold-time"})) {
            if (auto n = o->require("name")) {
                if (auto name = parse_interface_name(*n)) {
                    i.name = *name;
                    for (const auto& [other, where] : seen)
                        if (other == i.name) n->error(quote(i.name) + " is already listed at " + where);
                    seen.emplace_back(i.name, item.path());
                }
            }
            parse_hello_timers(*o, i.hello_interval, i.hello_hold_time);
        }
        out.push_back(std::move(i));
    }
    return out;
}

std::vector<LdpTargetedNeighbor> parse_targeted(const ObjectNode& ldp) {
    std::vector<LdpTargetedNeighbor> out;
    std::vector<std::pair<Ipv4Address, std::string>> seen;
    for (const auto& item : array_items(ldp, "targeted-neighbors")) {
        LdpTargetedNeighbor t;
        if (auto o = ObjectNode::open(item, {"address", "hello-interval", "hello-hold-time"})) {
            if (auto a = o->require("address")) {
                if (auto v = a->parsed(Ipv4Address::parse)) {
                    t.address = *v;
                    for (const auto& [other, where] : seen)
                        if (other == *v) a->error(v->to_string() + " is already listed at " + where);
                    seen.emplace_back(*v, item.path());
                }
            }
            parse_hello_timers(*o, t.hello_interval, t.hello_hold_time);
        }
        out.push_back(t);
    }
    return out;
}

std::vector<LdpNeighbor> parse_neighbors(const ObjectNode& ldp) {
    std::vector<LdpNeighbor> out;
    std::vector<std::pair<RouterId, std::string>> seen;
    for (const auto& item : array_items(ldp, "neighbors")) {
        LdpNeighbor nb;
        if (auto o = ObjectNode::open(item, {"lsr-id", "password"})) {
            if (auto id = o->require("lsr-id")) {
                if (auto v = id->parsed(RouterId::parse)) {
                    nb.lsr_id = *v;
                    for (const auto& [other, where] : seen)
                        if (other == *v) id->error(v->to_string() + " is already listed at " + where);
                    seen.emplace_back(*v, item.path());
                }
            }
            if (auto p = o->get("password")) nb.password = parse_password(*p);
        }
        out.push_back(std::move(nb));
    }
    return out;
}

void parse_graceful_restart(const Node& n, LdpGracefulRestart& gr) {
    auto o = ObjectNode::open(n, {"mode", "reconnect-time", "recovery-time"});
    if (!o) return;
    o->read_enum("mode", gr.mode, kGracefulRestartModeNames);
    o->read_int("reconnect-time", gr.reconnect_time, 1, 3600);
    o->read_int("recovery-time", gr.recovery_time, 1, 3600);
}

}  // namespace

std::optional<Ldp> parse_ldp(const Node& n, std::optional<RouterId> router_id) {
    auto o = ObjectNode::open(
        n, {"transport-address", "interfaces", "targeted-neighbors", "neighbors", "egress-label", "control-mode",
            "session-hold-time", "ttl-security", "session-protection", "fec-policy", "graceful-restart",
            "igp-sync"});
    if (!o) return std::nullopt;
    Ldp ldp;
    if (!o->read_parsed("transport-address", ldp.transport_address, Ipv4Address::parse) && router_id)
        ldp.transport_address = router_id->to_address();
    ldp.interfaces = parse_interfaces(*o);
    ldp.targeted_neighbors = parse_targeted(*o);
    if (!o->has("interfaces") && !o->has("targeted-neighbors"))
        n.error("has no \"interfaces\" and no \"targeted-neighbors\", so LDP would find no neighbor");
    ldp.neighbors = parse_neighbors(*o);
    o->read_enum("egress-label", ldp.egress_label, kLdpEgressLabelNames);
    o->read_enum("control-mode", ldp.control_mode, kLdpControlModeNames);
    o->read_int("session-hold-time", ldp.session_hold_time, 3, 65535);
    o->read("ttl-security", ldp.ttl_security);
    // true/false, or {"enabled": bool, "duration": seconds}.
    if (auto sp = o->get("session-protection")) {
        if (sp->json().is_boolean()) {
            ldp.session_protection = sp->json().get<bool>();
        } else if (auto p = ObjectNode::open(*sp, {"enabled", "duration"})) {
            ldp.session_protection = true;
            p->read("enabled", ldp.session_protection);
            Seconds d{0};
            if (p->read_int("duration", d, 1, 31'536'000)) ldp.session_protection_duration = d;
        }
    }
    if (auto f = o->get("fec-policy")) ldp.fec_policy = parse_policy_ref(*f);
    if (auto gr = o->get("graceful-restart")) parse_graceful_restart(*gr, ldp.graceful_restart);
    if (auto s = o->get("igp-sync")) {
        if (auto p = ObjectNode::open(*s, {"hook", "delay"})) {
            std::string hook;
            if (!p->read("hook", hook)) s->error("needs \"hook\": the program to run on each change");
            else if (hook.empty() || hook.front() != '/') s->error("\"hook\" must be an absolute path");
            else ldp.igp_sync_hook = hook;
            p->read_int("delay", ldp.igp_sync_delay, 0, 600);
        }
    }
    return ldp;
}

}  // namespace isthmus::config::detail
