// "clear bgp <address|all> [soft [in|out]]": a hard clear resets the session (Cease/Administrative
// Reset, RFC 4486 subcode 4 in spirit: the FSM's ManualStop with a shutdown communication, then
// ManualStart); soft in re-applies import policy (from the kept copy, or by asking the peer with
// ROUTE-REFRESH); soft out sends the peer our whole Adj-RIB-Out again. No other session moves.
#include <boost/asio/post.hpp>

#include "daemon/bgp_service.hpp"
#include "lib/log.hpp"

namespace isthmus::daemon {

namespace asio = boost::asio;
using bgp::rib::PeerId;
using control::Json;

Result<Json, std::string> BgpService::clear(const std::string& who, bool soft, bool in, bool out) {
    std::vector<std::shared_ptr<bgp::session::Session>> targets;
    for (const auto& s : speaker_->sessions())
        if (who == "all" || who == "*" || s->neighbor().address.to_string() == who) targets.push_back(s);
    if (targets.empty()) return err("no BGP neighbor " + who);
    Json done = Json::array();
    for (const auto& s : targets) {
        PeerId id = ids_.at(s.get());
        std::string name = s->neighbor().address.to_string();
        if (!soft) {
            log::notice("bgp {}: cleared by the operator, resetting the session", s->name());
            s->stop("session cleared by the operator");
            // ManualStart on the next turn, once the Cease is on its way.
            asio::post(io_, [s, alive = std::weak_ptr<bool>(alive_)] {
                if (!alive.expired()) s->start();
            });
            done.push_back({{"neighbor", name}, {"action", "reset"}});
            continue;
        }
        if (!up_[id]) {
            done.push_back({{"neighbor", name}, {"action", "none (not established)"}});
            continue;
        }
        if (in) rib_->soft_clear_in(id);
        if (out)
            if (auto& p = s->peer())
                for (auto f : p->negotiated.families) rib_->route_refresh_received(id, f);
        log::notice("bgp {}: soft clear{}{}", s->name(), in ? " in" : "", out ? " out" : "");
        done.push_back({{"neighbor", name}, {"action", std::string("soft") + (in ? " in" : "") + (out ? " out" : "")}});
    }
    schedule_flush();
    return Json{{"cleared", done}};
}

void BgpService::add_clear_command(control::Registry& registry) {
    auto r = registry.add(
        {"clear bgp", "<address|all> [soft [in|out]]",
         "reset BGP sessions, or soft: re-apply import policy (in) / re-send our routes (out), both by default", 1, 3,
         {}, [this](const control::Call& c) -> Result<Json, std::string> {
             bool soft = c.args.size() >= 2;
             if (soft && c.args[1] != "soft") return err("usage: clear bgp <address|all> [soft [in|out]]");
             bool in = true, out = true;
             if (c.args.size() == 3) {
                 if (c.args[2] == "in") out = false;
                 else if (c.args[2] == "out") in = false;
                 else return err("usage: clear bgp <address|all> [soft [in|out]]");
             }
             return clear(c.args[0], soft, in, out);
         }});
    if (!r) log::error("control: {}", r.error());
}

}  // namespace isthmus::daemon
