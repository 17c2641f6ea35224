#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/result.h"
#include "store/store.h"

namespace tilsyn::server {

// A fixed set of connections to one store, shared by the request threads: a Store is one
// connection and serves one thread at a time.
class StorePool {
 public:
  using Opener = std::function<Result<std::unique_ptr<Store>>()>;

  // Opens `size` connections with `open`.
  static Result<std::unique_ptr<StorePool>> Open(const Opener& open, int size);

  // A connection for as long as the lease lives.
  class Lease {
   public:
    Lease(StorePool& pool, std::unique_ptr<Store> store) : pool_(&pool), store_(std::move(store)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
      if (store_) pool_->Return(std::move(store_));
    }
    Store& operator*() const { return *store_; }
    Store* operator->() const { return store_.get(); }

   private:
    StorePool* pool_;
    std::unique_ptr<Store> store_;
  };

  // Waits for a free connection.
  Lease Take();

 private:
  StorePool() = default;
  void Return(std::unique_ptr<Store> store);

  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Store>> free_;
};

}  // namespace tilsyn::server
