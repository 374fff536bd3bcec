//! The scheme options shared by the `version` subcommands, and their
//! conversion to a release-core [`TagScheme`].

use anyhow::{Result, bail};

use crate::vocab_arg;
use clap::{Args, ValueEnum};
use release_core::version::{CandidatePolicy, CounterStyle, Scheme, TagScheme, VPrefix};

/// Which kind of version the tags hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemeKind {
    /// Semantic Versioning 2.0.0.
    Semver,
    /// Calendar versioning by `--format`.
    Calver,
    /// PEP 440, Python's versions: `3.14.0rc1`, `1!2.0`, `1.0.post1`.
    Pep440,
}

/// How versions are written and placed in tags.
#[derive(Debug, Args)]
#[command(next_help_heading = "Scheme")]
pub struct SchemeArgs {
    /// The version scheme [default: semver, or calver with --format].
    #[arg(long, value_enum)]
    pub scheme: Option<SchemeKind>,

    /// The CalVer format, e.g. YYYY.0M.MICRO (implies --scheme calver).
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,

    /// Whether SemVer tags carry a 'v' [default: optional].
    #[arg(long, value_name = "WHEN", value_parser = vocab_arg::names::<VPrefix>())]
    pub v_prefix: Option<VPrefix>,

    /// Where the version sits in a tag, e.g. 'v{version}' or
    /// '{component}-v{version}'.
    #[arg(long, value_name = "TEMPLATE", default_value = "{version}")]
    pub template: String,

    /// The component name that fills '{component}' in the template.
    #[arg(long, value_name = "NAME")]
    pub component: Option<String>,

    /// The label of new pre-releases.
    #[arg(long, value_name = "LABEL", default_value = "rc")]
    pub candidate_label: String,

    /// How new pre-release counters are written: dotted `rc.1`, attached
    /// `rc1`.
    #[arg(long, value_name = "STYLE", value_parser = vocab_arg::names::<CounterStyle>(), default_value = "dotted")]
    pub counter_style: CounterStyle,

    /// A final may only be released by promoting a candidate (promote).
    #[arg(long)]
    pub require_candidate: bool,

    /// The pre-release stages, in order, comma-separated (SemVer and
    /// CalVer; PEP 440's are a, b, rc): `alpha,beta,rc`. A tag whose
    /// label is not one of them is not of the scheme.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub stages: Vec<String>,

    /// With --stages: read a tag whose label is outside the stages
    /// (`-RC.1`, `-hotfix.1`) with a warning instead of leaving it out.
    #[arg(long, requires = "stages")]
    pub lenient_stages: bool,
}

impl SchemeArgs {
    /// The tag scheme these options describe.
    ///
    /// # Errors
    ///
    /// When the options contradict each other, or release-core rejects the
    /// format or the template.
    pub fn tag_scheme(&self) -> Result<TagScheme> {
        let scheme = match (self.scheme, &self.format) {
            (Some(SchemeKind::Semver), Some(format)) => {
                bail!("--format {format:?} is a CalVer format, but --scheme is semver")
            }
            (Some(SchemeKind::Pep440), Some(format)) => {
                bail!("--format {format:?} is a CalVer format, but --scheme is pep440")
            }
            (Some(SchemeKind::Pep440), None) => {
                if self.v_prefix.is_some() {
                    bail!(
                        "--v-prefix applies to SemVer; for PEP 440 write the 'v' in --template, e.g. 'v{{version}}'"
                    );
                }
                if !self.stages.is_empty() {
                    bail!(
                        "--stages applies to SemVer and CalVer; PEP 440's stages are a, b and rc"
                    );
                }
                Scheme::pep440()
            }
            (Some(SchemeKind::Calver), None) => {
                bail!("--scheme calver needs --format, e.g. --format YYYY.0M.MICRO")
            }
            (_, Some(format)) => {
                if self.v_prefix.is_some() {
                    bail!(
                        "--v-prefix applies to SemVer; for CalVer write the 'v' in --template, e.g. 'v{{version}}'"
                    );
                }
                Scheme::calver(format)?
            }
            (_, None) => Scheme::semver_with_prefix(self.v_prefix.unwrap_or(VPrefix::Optional)),
        };
        let scheme = scheme.with_candidates(CandidatePolicy {
            label: self.candidate_label.clone(),
            style: self.counter_style,
            required: self.require_candidate,
            stages: self.stages.clone(),
            lenient_stages: self.lenient_stages,
        });
        let mut tags = TagScheme::new(&self.template, scheme)?;
        if let Some(component) = &self.component {
            tags = tags.for_component(component)?;
        } else if tags.template().has_component() {
            // Caught here, before any tag is read: otherwise every tag of a
            // list would be skipped and the command would answer "none".
            bail!(
                "--template {:?} contains {{component}}; give --component NAME",
                self.template
            );
        }
        Ok(tags)
    }
}
