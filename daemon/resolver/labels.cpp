#include "daemon/resolver/labels.hpp"

namespace isthmus::daemon::resolver {

namespace {
// "1 (router-alert)", "7": the number always, the name where there is one.
std::string describe(MplsLabel l) {
    std::string n = std::to_string(l.value());
    return l.to_string() == n ? n : n + " (" + l.to_string() + ")";
}
}  // namespace

Result<LabelStack, std::string> stack_for(MplsLabel ldp_out, MplsLabel bgp) {
    if (bgp.is_reserved() && bgp != MplsLabel::ipv6_explicit_null() && !bgp.is_implicit_null())
        return err("BGP label " + describe(bgp) + " is reserved and cannot be pushed");
    // An LDP label 1 or 4-15 from a peer is as unusable as a BGP one (0 is IPv4 explicit null: fine).
    if (ldp_out.is_reserved() && ldp_out != MplsLabel::ipv4_explicit_null() && !ldp_out.is_implicit_null())
        return err("LDP label " + describe(ldp_out) + " is reserved and cannot be pushed");
    LabelStack s;
    if (!ldp_out.is_implicit_null()) s.push_back(ldp_out);
    if (!bgp.is_implicit_null()) s.push_back(bgp);
    if (s.empty()) s.push_back(MplsLabel::ipv6_explicit_null());
    return s;
}

}  // namespace isthmus::daemon::resolver
