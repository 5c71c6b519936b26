#pragma once
// Interning of path attribute sets (STYLE 10): equal sets share one immutable object, freed
// when the last path using it goes. Handles may outlive the store (the observer may keep a
// BestPathSet): the deleter only touches the table while the store exists.
#include <cstddef>
#include <memory>
#include <unordered_map>

#include "bgp/codec/attributes.hpp"
#include "bgp/rib/types.hpp"

namespace isthmus::bgp::rib {

class AttrStore {
public:
    AttrStore();
    Attrs intern(PathAttributes a);
    std::size_t size() const;

private:
    struct Hash {
        std::size_t operator()(const PathAttributes* a) const { return hash_value(*a); }
    };
    struct Eq {
        bool operator()(const PathAttributes* a, const PathAttributes* b) const { return *a == *b; }
    };
    using Table = std::unordered_map<const PathAttributes*, std::weak_ptr<const PathAttributes>, Hash, Eq>;
    std::shared_ptr<Table> table_;
};

}  // namespace isthmus::bgp::rib
