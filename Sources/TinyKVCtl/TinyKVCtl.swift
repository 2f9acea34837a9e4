import ArgumentParser

/// `tinykv-ctl`: the command line for a TinyKV store.
@main
struct TinyKVCtl: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tinykv-ctl",
    abstract: "Talk to a TinyKV store from the command line.",
    discussion: """
      Keys and values are taken as UTF-8 text, or as hex with --hex. Binary bytes are printed \
      escaped (\\xNN), so the output is always one line per value.
      """,
    subcommands: [RawCommand.self, TxnCommand.self, SchedulerCommand.self, ClusterCommand.self])
}
