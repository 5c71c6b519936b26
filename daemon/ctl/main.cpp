// isthmusctl: shows and changes a running isthmusd's state through its control socket.
#include <cstdlib>
#include <iostream>

#include "daemon/ctl/args.hpp"
#include "daemon/ctl/client.hpp"
#include "daemon/ctl/render.hpp"

using namespace isthmus;

int main(int argc, char** argv) {
    const char* env = std::getenv("ISTHMUS_CONTROL_SOCKET");
    auto args = ctl::parse_args(std::vector<std::string>(argv, argv + argc), env ? env : "");
    if (!args) {
        std::cerr << "isthmusctl: " << args.error() << "\n" << ctl::usage();
        return 2;
    }
    if (args->help) {
        std::cout << ctl::usage();
        return 0;
    }
    auto response = ctl::call(args->socket, args->request);
    if (!response) {
        std::cerr << "isthmusctl: " << response.error().message << "\n";
        return response.error().connect_failed ? 3 : 1;
    }
    if (!response->ok) {
        std::cerr << "isthmusctl: " << response->error << "\n";
        return 1;
    }
    std::cout << (args->json ? response->data.dump(2) + "\n" : ctl::render(response->data));
    return 0;
}
