//! `policygraph eval` (placeholder until the eval module lands).

/// Compare extracted entities with a gold file.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<i32> {
    anyhow::bail!("eval is not implemented yet")
}
