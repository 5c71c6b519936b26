#include "bgp/rib/attr_store.hpp"

namespace isthmus::bgp::rib {

AttrStore::AttrStore() : table_(std::make_shared<Table>()) {}

Attrs AttrStore::intern(PathAttributes a) {
    if (auto it = table_->find(&a); it != table_->end())
        if (auto existing = it->second.lock()) return existing;
    std::weak_ptr<Table> weak = table_;
    auto* raw = new PathAttributes(std::move(a));
    Attrs made(raw, [weak](const PathAttributes* p) {
        if (auto t = weak.lock()) {
            // Only erase our own entry: an expired entry may have been replaced by an equal set.
            if (auto it = t->find(p); it != t->end() && it->first == p) t->erase(it);
        }
        delete p;
    });
    // An expired equal entry (its deleter has not run yet) is replaced.
    (*table_).erase(raw);
    table_->emplace(raw, made);
    return made;
}

std::size_t AttrStore::size() const { return table_->size(); }

}  // namespace isthmus::bgp::rib
