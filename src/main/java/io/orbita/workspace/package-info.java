/** Workspaces (one per company or agency client), users, roles, API keys, authentication and the audit log. */
package io.orbita.workspace;
