#include "daemon/ctl/client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

namespace isthmus::ctl {

namespace asio = boost::asio;

Result<control::Response, ClientError> call(const std::string& socket_path, const control::Request& request) {
    asio::io_context io;
    asio::local::stream_protocol::socket socket(io);
    boost::system::error_code ec;
    socket.connect(asio::local::stream_protocol::endpoint(socket_path), ec);
    if (ec)
        return err(ClientError{true, "cannot reach isthmusd at " + socket_path + ": " + ec.message() +
                                         " (is it running? --socket names another path)"});
    asio::write(socket, asio::buffer(control::encode_request(request)), ec);
    if (ec) return err(ClientError{false, "sending to isthmusd: " + ec.message()});
    asio::streambuf buffer;
    std::size_t n = asio::read_until(socket, buffer, '\n', ec);
    if (ec) return err(ClientError{false, "reading isthmusd's answer: " + ec.message()});
    std::string line(asio::buffers_begin(buffer.data()), asio::buffers_begin(buffer.data()) + n - 1);
    auto response = control::parse_response(line);
    if (!response) return err(ClientError{false, response.error()});
    return std::move(response).value();
}

}  // namespace isthmus::ctl
