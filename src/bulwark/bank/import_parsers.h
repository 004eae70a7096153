// The per-format parsers behind ParseImport (import.cc). Each reads the
// input to its end, appending entries, retractions and issues to `out`;
// an Error means the input could not be read as that format at all.
#pragma once

#include "bulwark/bank/import.h"
#include "bulwark/bank/import_input.h"

namespace bulwark::bank {

Status ParseLinesFormat(ImportInput* in, const ImportOptions& options,
                        ParsedImport* out);
Status ParseCsvFormat(ImportInput* in, const ImportOptions& options,
                      ParsedImport* out);
Status ParseJsonlFormat(ImportInput* in, const ImportOptions& options,
                        ParsedImport* out);
Status ParseNcmecXmlFormat(ImportInput* in, const ImportOptions& options,
                           ParsedImport* out);

}  // namespace bulwark::bank
