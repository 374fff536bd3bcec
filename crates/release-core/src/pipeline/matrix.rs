//! Matrix steps: one step, many cells.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::gate::Requirement;

/// The cells a matrix step expands into: an explicit list over named axes,
/// or, when `cells` is empty, the full product of the axes.
///
/// The eCR Viewer tests five configurations, not the 24 of the product:
///
/// ```toml
/// [steps.matrix]
/// axes = { cloud = ["aws", "azure", "gcp"], integration = ["integrated", "non-integrated"],
///          schema = ["core", "extended"], database = ["postgres", "sqlserver"] }
/// cells = [
///   { name = "aws-integrated", values = { cloud = "aws", integration = "integrated", schema = "extended", database = "postgres" } },
///   { name = "gcp-vm", values = { cloud = "gcp", integration = "non-integrated", schema = "core", database = "sqlserver" }, requirement = "advisory" },
/// ]
/// ```
///
/// Each cell becomes a task `step[cell]`; a step that needs the matrix step
/// needs every cell (an advisory cell's failure does not hold it back).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Matrix {
    /// Axis name to its values.
    pub axes: BTreeMap<String, Vec<String>>,
    /// The cells; empty means the full product.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<Cell>,
    /// The requirement of cells that do not state their own.
    #[serde(default, skip_serializing_if = "Requirement::is_required")]
    pub requirement: Requirement,
}

impl Matrix {
    /// A matrix with one more axis.
    pub fn axis<I, S>(mut self, name: impl Into<String>, values: I) -> Matrix
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.axes
            .insert(name.into(), values.into_iter().map(Into::into).collect());
        self
    }

    /// A matrix with one more explicit cell.
    pub fn cell(mut self, cell: Cell) -> Matrix {
        self.cells.push(cell);
        self
    }

    /// The cells: the explicit ones, or the product of the axes (in axis
    /// order, last axis fastest), with `limit` as a guard against a product
    /// too large to mean anything.
    pub(crate) fn expand(&self, limit: usize) -> Option<Vec<Cell>> {
        if !self.cells.is_empty() {
            return Some(self.cells.clone());
        }
        let mut cells: Vec<BTreeMap<String, String>> = vec![BTreeMap::new()];
        for (axis, values) in &self.axes {
            if cells.len().saturating_mul(values.len()) > limit {
                return None;
            }
            cells = cells
                .iter()
                .flat_map(|cell| {
                    values.iter().map(move |v| {
                        let mut c = cell.clone();
                        c.insert(axis.clone(), v.clone());
                        c
                    })
                })
                .collect();
        }
        Some(
            cells
                .into_iter()
                .map(|values| Cell {
                    name: None,
                    values,
                    requirement: None,
                })
                .collect(),
        )
    }
}

/// One cell of a matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Cell {
    /// The cell's name; by default its values in axis order, joined by `,`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A value for every axis.
    pub values: BTreeMap<String, String>,
    /// Whether the cell must pass; the matrix's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requirement: Option<Requirement>,
}

impl Cell {
    /// A cell from `(axis, value)` pairs.
    pub fn new<I, K, V>(values: I) -> Cell
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Cell {
            name: None,
            values: values
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            requirement: None,
        }
    }

    /// Named.
    pub fn named(self, name: impl Into<String>) -> Cell {
        Cell {
            name: Some(name.into()),
            ..self
        }
    }

    /// With a requirement.
    pub fn requirement(self, requirement: Requirement) -> Cell {
        Cell {
            requirement: Some(requirement),
            ..self
        }
    }

    /// The cell's name: given, or its values joined by `,`.
    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => name.clone(),
            None => self
                .values
                .values()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(","),
        }
    }
}
