#include "server/store_pool.h"

namespace tilsyn::server {

Result<std::unique_ptr<StorePool>> StorePool::Open(const Opener& open, int size) {
  std::unique_ptr<StorePool> pool(new StorePool());
  for (int i = 0; i < size; ++i) {
    Result<std::unique_ptr<Store>> store = open();
    if (!store) return std::move(store).error();
    pool->free_.push_back(std::move(*store));
  }
  return pool;
}

StorePool::Lease StorePool::Take() {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [this] { return !free_.empty(); });
  std::unique_ptr<Store> store = std::move(free_.back());
  free_.pop_back();
  return Lease(*this, std::move(store));
}

void StorePool::Return(std::unique_ptr<Store> store) {
  {
    const std::lock_guard lock(mutex_);
    free_.push_back(std::move(store));
  }
  returned_.notify_one();
}

}  // namespace tilsyn::server
