#pragma once
// What the desired-state layer needs from the kernel: apply a batch, read our entries back. The
// real one is the Kernel (KernelPort below); unit tests give it a fake kernel with tables of its own.
#include <functional>

#include "lib/result.hpp"
#include "netlink/batch.hpp"
#include "netlink/kernel.hpp"

namespace isthmus::netlink {

class FibKernel {
public:
    virtual ~FibKernel() = default;
    virtual Batch batch() const = 0;
    // `done` runs later, on the io_context, never from inside apply().
    virtual void apply(Batch batch, std::function<void(BatchReport)> done) = 0;
    virtual void read_state(std::function<void(Result<KernelState, std::string>)> done) = 0;
};

class KernelPort final : public FibKernel {
public:
    explicit KernelPort(Kernel& k) : kernel_(k) {}
    Batch batch() const override { return kernel_.batch(); }
    void apply(Batch b, std::function<void(BatchReport)> done) override { kernel_.apply(std::move(b), std::move(done)); }
    void read_state(std::function<void(Result<KernelState, std::string>)> done) override {
        kernel_.read_state(std::move(done));
    }

private:
    Kernel& kernel_;
};

}  // namespace isthmus::netlink
