#pragma once
// Kernel refusals as values that name the request, with the kernel's own explanation (extack).
#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace isthmus::netlink {

struct KernelError {
    std::string request;  // "add route 2001:db8::/48 nhid 7"
    int code = 0;         // errno, positive
    std::string extack;   // the kernel's NLMSGERR_ATTR_MSG, empty when it gave none
    bool not_sent = false;  // refused by us before sending; extack then holds our reason
    // The request's position among the batch's sent requests (Batch::request(index)), so a caller
    // can tell which of its entries failed; npos when not sent.
    static constexpr std::size_t npos = std::size_t(-1);
    std::size_t index = npos;
    // "add route 2001:db8::/48 nhid 7: Invalid argument (kernel: Nexthop id does not exist)"
    std::string to_string() const;
};

// The outcome of one batch: which requests the kernel refused, or that the exchange itself failed
// (then the state of requests without a reply is unknown: the caller re-reads the kernel).
struct BatchReport {
    std::size_t requests = 0;
    std::vector<KernelError> failures;
    std::string transport_error;
    bool ok() const { return failures.empty() && transport_error.empty(); }
    std::string to_string() const;  // one line per problem, "" when ok
};

// How a dump ended: ok, or the errno (0 when the failure was ours, not the kernel's) and a message.
struct DumpStatus {
    int code = 0;
    std::string error;
    bool ok() const { return error.empty(); }
};

// The error in an NLMSG_ERROR message: errno (positive, 0 for an ack) and the extack text.
struct ErrorReply {
    uint32_t seq = 0;
    int code = 0;
    std::string extack;
};
// Decodes an NLMSG_ERROR message (with or without NETLINK_CAP_ACK); false if it is not one or malformed.
bool decode_error_reply(std::span<const uint8_t> msg, ErrorReply& out);

// "add route 2001:db8::/48 nhid 7": the request bytes decoded back into words, for error messages
// (so no text is kept per request while a batch is in flight).
std::string describe_request(std::span<const uint8_t> msg);

}  // namespace isthmus::netlink
