// A deliberately plain PDQ: full-size float buffers, one 1-D box pass at a
// time, columns walked with a stride, exactly the steps of the published
// algorithm. It is the oracle that the streaming implementation is checked
// against on arbitrary sizes, and the "reference core" baseline in bench/.
#pragma once

#include "bulwark/hash/pdq.h"
#include "bulwark/media/image.h"

namespace bulwark::testing {

// Same contract as hash::ComputePdq in mode kFull, no dihedral; the image
// must be at least 5x5.
hash::PdqResult NaivePdq(const media::Image& image);

}  // namespace bulwark::testing
