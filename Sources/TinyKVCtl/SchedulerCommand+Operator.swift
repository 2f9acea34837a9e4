import ArgumentParser
import Client

extension SchedulerCommand {
  /// `tinykv-ctl scheduler transfer-leader REGION STORE`: an operator asked for by hand.
  struct TransferLeader: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "transfer-leader",
      abstract: "Ask the scheduler to move a region's leadership to its peer on a store.",
      discussion: """
        The scheduler adds an operator that the region's next heartbeats carry out (it times \
        out after 10 s if the leader refuses, e.g. when the target peer lags). Follow it with \
        `tinykv-ctl scheduler operators`. Refused: an unknown region or store, a store with \
        no peer of the region or already leading it, a peer still catching up, a region with \
        an operator running.
        """)
    @OptionGroup var options: Options
    @Argument(help: "The region id.") var region: UInt64
    @Argument(help: "The id of the store whose peer should lead.") var store: UInt64

    func run() async throws {
      let desc = try await options.withClient {
        try await $0.transferLeader(regionID: region, toStore: store)
      }
      if options.json { return try options.printJSON(["region_id": region, "desc": desc]) }
      print("added: \(desc)")
    }
  }

  /// `tinykv-ctl scheduler move-peer REGION FROM TO`: an operator asked for by hand.
  struct MovePeer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "move-peer",
      abstract: "Ask the scheduler to move a region's peer from one store to another.",
      discussion: """
        The steps are those of balance-region: add a peer on the target store, wait until it \
        has caught up, hand leadership to it if the leaving peer leads, then remove the peer \
        on the source store. Refused: an unknown region or store, a source without a peer of \
        the region, a target that already holds one or is not up, a region with a lagging \
        peer or an operator running.
        """)
    @OptionGroup var options: Options
    @Argument(help: "The region id.") var region: UInt64
    @Argument(help: "The store whose peer leaves.") var from: UInt64
    @Argument(help: "The store that gets the new peer.") var to: UInt64

    func run() async throws {
      let desc = try await options.withClient {
        try await $0.movePeer(regionID: region, from: from, to: to)
      }
      if options.json { return try options.printJSON(["region_id": region, "desc": desc]) }
      print("added: \(desc)")
    }
  }
}
