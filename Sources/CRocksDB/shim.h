// The RocksDB C API from Debian's librocksdb-dev, wrapped by the Engine module.
#include <rocksdb/c.h>
